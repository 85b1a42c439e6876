import type { Integration, Session } from './types';

/**
 * The routes of issue 16's API side (branch uiapi: sessions, connect sessions, test-credentials) as
 * ui-contract.md describes them, until their openapi.json is merged and the generated schema has
 * them. Removed then: the generated types are the source.
 */
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Op<Body, Status extends number, Res> = {
  parameters: NoParams;
  requestBody: { content: { 'application/json': Body } };
  responses: { [S in Status]: Json<Res> };
};
type NoBodyOp<Status extends number, Res> = { parameters: NoParams; requestBody?: never; responses: { [S in Status]: Json<Res> } };
type Methods = { get?: never; put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };
type Path<Ops> = { parameters: NoParams } & Omit<Methods, keyof Ops> & Ops;

export interface TestedCredentials {
  ok: true;
  integration: string;
  access: Record<string, unknown>;
}
export interface CredentialsBody {
  integration: string;
  credentials: Record<string, string>;
}
export interface ConnectSession {
  id: string;
  token: string;
  url: string;
  expires_at: string;
  tenant_id: string;
  integrations: string[];
}

export interface PendingPaths {
  '/session': Path<{ get: NoBodyOp<200, Session>; post: Op<{ api_key: string }, 201, Session>; delete: NoBodyOp<204, never> }>;
  '/connect-sessions': Path<{ post: Op<{ tenant_id: string; integrations?: string[]; expires_in?: number }, 201, ConnectSession> }>;
  '/connect-sessions/current': Path<{ get: NoBodyOp<200, { tenant_id: string; expires_at: string; integrations: Integration[] }> }>;
  '/connect-sessions/current/test': Path<{ post: Op<CredentialsBody, 200, TestedCredentials> }>;
  '/connect-sessions/current/accounts': Path<{
    post: Op<CredentialsBody & { name?: string }, 201, { id: string; integration: string; name: string; tenant_id: string; status: string }>;
  }>;
}
