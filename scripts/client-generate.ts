/** `npm run client:generate`: writes client/src/schema.ts from the live OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLIENT_SCHEMA_FILE, clientSchemaSource, liveOpenApiDocument } from './client-schema.ts';

const source = await clientSchemaSource(await liveOpenApiDocument());
writeFileSync(CLIENT_SCHEMA_FILE, source);
console.log(`Wrote ${fileURLToPath(CLIENT_SCHEMA_FILE)} (${source.length} characters)`);
