import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { sortableId } from '../common/ids';
import { ApiKeysRepository } from '../store/api-keys.repository';
import { AuditEventsRepository } from '../store/audit-events.repository';
import type { AuditedRoute, AuditSubject } from './audited-routes';

export interface Actor {
  keyId: string;
  name: string;
  tenantId: string | null;
}

export interface Outcome {
  status: number;
  /** The hub's own error code, when the hub failed the write (not when an upstream answered 4xx). */
  errorCode: string | null;
  /** True when `status` is the upstream's, passed on (the proxy). */
  upstream: boolean;
}

/** The actor of a sign-in that failed: no key was recognised. */
export const ANONYMOUS: Actor = Object.freeze({ keyId: 'anonymous', name: 'anonymous', tenantId: null });

/** Key names never change, so each is read once; bounded like the authenticator's cache. */
const NAMES_KEPT = 10_000;

/** Appends audit rows. A row that cannot be written is logged, never failing the write it describes. */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');
  private readonly names = new Map<string, string>();

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly keys: ApiKeysRepository,
  ) {}

  async actorOf(principal: Principal): Promise<Actor> {
    if (principal.root) return { keyId: 'root', name: 'root', tenantId: null };
    // A connect link acts for its tenant; its id names it (who created it is on connect_session.created).
    if (principal.connect) return { keyId: principal.id, name: 'connect link', tenantId: principal.tenantId };
    let name = this.names.get(principal.id);
    if (name === undefined) {
      name = (await this.keys.findActive(principal.id))?.name ?? principal.id;
      if (this.names.size >= NAMES_KEPT) this.names.delete(this.names.keys().next().value!);
      this.names.set(principal.id, name);
    }
    return { keyId: principal.id, name, tenantId: principal.tenantId };
  }

  async record(event: { entry: AuditedRoute; actor: Actor; subject: AuditSubject; outcome: Outcome; clientIp: string | null }): Promise<void> {
    const { entry, actor, subject, outcome } = event;
    const now = Date.now();
    const details: Record<string, unknown> = { ...entry.details?.(subject) };
    if (outcome.upstream) details.upstream_status = outcome.status;
    try {
      await this.events.insert({
        id: sortableId(now),
        occurred_at: new Date(now).toISOString(),
        tenant_id: actor.tenantId,
        actor_key_id: actor.keyId,
        actor_name: actor.name,
        action: entry.action,
        target_type: entry.targetType,
        target_id: entry.targetId(subject),
        outcome: outcome.status < 400 && outcome.errorCode === null ? 'success' : 'failure',
        status: outcome.status,
        error_code: outcome.errorCode,
        client_ip: event.clientIp,
        details: JSON.stringify(details),
      });
    } catch (error) {
      this.logger.error(`could not record the audit event ${entry.action} (status ${outcome.status}): ${(error as Error).message}`);
    }
  }
}
