import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CLUSTER_REDIS, ClusterRedis } from './cluster-redis';

/** What a listener is told: the id of a key revoked on some replica, or null for "forget every key" (revocations may have been missed). */
export type RevocationListener = (keyId: string | null) => void;

/**
 * Tells every replica at once that a key was revoked, so the key cache of each (see
 * ApiKeyAuthenticator) drops it before the next request: Redis pub/sub on
 * `<HUB_REDIS_PREFIX>:api-keys:revoked`. Pub/sub delivers only to connected subscribers, so while
 * this replica is not subscribed (Redis away, reconnecting) its cache is not trusted: every request
 * reads the key from the database, and once subscribed again the cache starts empty. In embedded
 * mode (one process) there is nobody to tell, and the cache is always trusted.
 */
@Injectable()
export class KeyRevocations implements OnModuleInit {
  private readonly logger = new Logger('ApiKeys');
  private readonly listeners = new Set<RevocationListener>();
  private subscribed = false;

  constructor(@Inject(CLUSTER_REDIS) private readonly redis: ClusterRedis | null) {}

  onModuleInit(): void {
    if (!this.redis) return;
    const { subscriber } = this.redis;
    const channel = this.channel();
    const subscribe = () =>
      subscriber.subscribe(channel).then(
        () => {
          this.subscribed = true;
          this.tell(null);
        },
        (error: Error) => this.logger.warn(`could not subscribe to key revocations: ${error.message}`),
      );
    subscriber.on('ready', () => void subscribe());
    // Connected already while the app was being built: 'ready' has fired before this listened.
    if (subscriber.status === 'ready') void subscribe();
    for (const lost of ['close', 'reconnecting', 'end']) subscriber.on(lost, () => (this.subscribed = false));
    subscriber.on('message', (from: string, keyId: string) => {
      if (from === channel) this.tell(keyId);
    });
  }

  /** Whether a process-local cache of keys may be used now: embedded mode, or subscribed to revocations. */
  get cacheTrusted(): boolean {
    return this.redis === null || this.subscribed;
  }

  onRevoked(listener: RevocationListener): void {
    this.listeners.add(listener);
  }

  /**
   * Tells the other replicas (and this one) that `keyId` is revoked. Awaited before the revocation
   * answers, so by then Redis has taken the message for every subscribed replica. A failure is
   * logged, not thrown: the revocation is stored, and replicas that cannot hear Redis do not trust
   * their caches anyway.
   */
  async announce(keyId: string): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.commands.publish(this.channel(), keyId);
    } catch (error) {
      this.logger.warn(`could not announce the revocation of API key ${keyId} to the other replicas: ${(error as Error).message}`);
    }
  }

  private channel(): string {
    return this.redis!.key('api-keys', 'revoked');
  }

  private tell(keyId: string | null): void {
    for (const listener of this.listeners) listener(keyId);
  }
}
