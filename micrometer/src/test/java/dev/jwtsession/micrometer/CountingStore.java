package dev.jwtsession.micrometer;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real in-memory store that counts its calls per operation and can be switched "down" (then every
 * call throws {@link StoreUnavailableException}, as the Redis store does within its timeout). The
 * outage switch is the one stand-in: a real outage is tested with {@code redis-server} in the redis
 * module.
 */
class CountingStore implements RefreshTokenStore {

  private final RefreshTokenStore delegate;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  volatile boolean down;

  CountingStore(RefreshTokenStore delegate) {
    this.delegate = delegate;
  }

  int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void call(String operation) {
    calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
    if (down) {
      throw new StoreUnavailableException("test store is down");
    }
  }

  @Override
  public void register(FamilyRecord family) {
    call("register");
    delegate.register(family);
  }

  @Override
  public RotationResult rotate(RotationRequest request) {
    call("rotate");
    return delegate.rotate(request);
  }

  @Override
  public boolean isActive(String familyId, Instant now) {
    call("is.active");
    return delegate.isActive(familyId, now);
  }

  @Override
  public void revokeFamily(String familyId) {
    call("revoke.family");
    delegate.revokeFamily(familyId);
  }

  @Override
  public int revokeSubject(String subject, Instant now) {
    call("revoke.subject");
    return delegate.revokeSubject(subject, now);
  }
}
