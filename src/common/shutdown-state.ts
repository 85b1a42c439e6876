import { Injectable } from '@nestjs/common';

/**
 * Whether this hub is shutting down (SIGTERM received, draining): set by the drain, read by the
 * readiness probe so a load balancer stops sending requests while the replica still answers them.
 * One per app (provided by HubModule), not a process global: tests run several hubs in one process.
 */
@Injectable()
export class ShutdownState {
  draining = false;
}
