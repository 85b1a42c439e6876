import { ApiProperty } from '@nestjs/swagger';
import type { RegisteredConnector } from './connector.registry';

const CAPABILITIES = ['authenticate', 'users', 'groups', 'licenses', 'proxy'];

export class CredentialFieldView {
  @ApiProperty({ example: 'customer_code', description: 'The key of this field in credentials' }) name: string;
  @ApiProperty({ example: 'Customer code', description: 'What to call the field in a form (its accessible label)' }) label: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where to find the value, for people' }) description: string | null;
  @ApiProperty({ description: 'A secret (mask it in forms); stored encrypted, never returned' }) secret: boolean;
  @ApiProperty({ description: 'Whether the connect needs it' }) required: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'A regular expression the value must match (checked again by the hub)' }) pattern: string | null;
  @ApiProperty({ enum: ['string', 'boolean'], description: 'boolean: true/false (or yes/no)' }) type: 'string' | 'boolean';
}

export class IntegrationView {
  @ApiProperty({ example: 'jetbrains', description: 'The connector id to send as integration' }) id: string;
  @ApiProperty({ example: 'JetBrains', description: 'Display name' }) name: string;
  @ApiProperty({ nullable: true, type: String, description: 'What the connector reads, for people' }) description: string | null;
  @ApiProperty({ description: 'The upstream API the connector and the proxy reach' }) base_url: string;
  @ApiProperty({ type: [CredentialFieldView], description: 'The fields of credentials, in form order' }) credentials: CredentialFieldView[];
  @ApiProperty({ enum: CAPABILITIES, isArray: true, description: 'What the connector can do' }) capabilities: string[];
}

export class IntegrationList {
  @ApiProperty({ type: [IntegrationView], description: 'Every connector this hub has' }) result: IntegrationView[];
}

/** How GET /integrations (and a connect link's page) shows a connector: its manifest entry, never a secret. */
export function toIntegrationView({ entry, baseUrl }: RegisteredConnector): IntegrationView {
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description ?? null,
    base_url: baseUrl,
    credentials: entry.credentials.map((f) => ({
      name: f.name,
      label: f.label,
      description: f.description ?? null,
      secret: f.secret,
      required: f.required,
      pattern: f.pattern ?? null,
      type: f.type ?? 'string',
    })),
    capabilities: entry.capabilities,
  };
}
