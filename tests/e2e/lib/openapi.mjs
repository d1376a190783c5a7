// The OpenAPI document (docs/api/openapi.json) as the judge of the API's answers in the
// browser tests: an answer must be declared for its route, method, status and media type,
// and its body must match the declared schema (ajv, JSON Schema 2020-12).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { root } from './server.mjs';

export const doc = JSON.parse(readFileSync(path.join(root, 'docs/api/openapi.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components', 'webhooks', 'jsonSchemaDialect']);
ajv.addFormat('uri-reference', true);
ajv.addFormat('date', true);
ajv.addSchema(doc, 'openapi.json');
const pointer = (...parts) => parts.map((s) => String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Asserts that the document declares res ({ status, headers, json }) for method route and
 * that the body matches its schema. */
export function assertDeclared(route, method, res) {
  let resp = doc.paths[route]?.[method]?.responses?.[String(res.status)];
  assert.ok(resp, `the document declares no ${res.status} for ${method.toUpperCase()} ${route}`);
  let at = ['paths', route, method, 'responses', String(res.status)];
  if (resp.$ref) {
    at = resp.$ref.replace(/^#\//, '').split('/');
    resp = at.reduce((o, k) => o[k], doc);
  }
  const media = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  assert.ok(resp.content?.[media], `${method.toUpperCase()} ${route} ${res.status}: no ${media} in the document`);
  const v = ajv.compile({ $ref: `openapi.json#/${pointer(...at, 'content', media, 'schema')}` });
  if (!v(res.json)) assert.fail(`${method.toUpperCase()} ${route} (${res.status}) does not match:\n${JSON.stringify(v.errors.slice(0, 10), null, 1)}`);
}
