/** Checks that the Boot 3.5 verification run is what it claims to be. */
package dev.jwtsession.spring.boot.boot3;
