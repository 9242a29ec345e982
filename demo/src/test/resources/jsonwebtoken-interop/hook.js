// What the SvelteKit hook svelte-kit-jwt-session does with tokens, through the library it uses:
//   sign:   jwt.sign(payload, secret)   (HS256, header {"alg":"HS256","typ":"JWT"}, adds iat)
//   verify: jwt.verify(token, secret)   (what becomes locals.session)
// Usage: SECRET=... node hook.js sign '<payload JSON>' | node hook.js verify '<token>'
"use strict";
const jwt = require("jsonwebtoken");

const [command, argument] = process.argv.slice(2);
const secret = process.env.SECRET;
if (command === "sign") {
  process.stdout.write(jwt.sign(JSON.parse(argument), secret));
} else if (command === "verify") {
  try {
    process.stdout.write(JSON.stringify(jwt.verify(argument, secret)));
  } catch (e) {
    process.stdout.write("REFUSED " + e.name + ": " + e.message);
    process.exitCode = 2;
  }
} else {
  process.stderr.write("usage: node hook.js sign <payload-json> | verify <token>\n");
  process.exitCode = 64;
}
