import type { OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_EXTENSION, ACCESS_RULES, AccessRule } from '../auth/access';
import { httpStatusFor } from '../http/error-status';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

interface ResponseLike {
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

/**
 * What an outside tool needs to generate a client, per operation: a success response that
 * describes its body (or is 204), and its error answers, each the envelope with the codes
 * the gateway really answers with that status; and who may call it (`x-access`, from
 * @Access). Returns one line per problem.
 */
export function auditOperations(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const access = (operation as unknown as Record<string, unknown>)[ACCESS_EXTENSION] as AccessRule[] | undefined;
      if (!access?.length || access.some((rule) => !ACCESS_RULES.includes(rule)))
        problems.push(`${name}: no access rule (@Access)`);
      const responses = Object.entries((operation.responses ?? {}) as Record<string, ResponseLike>);
      const success = responses.filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problems.push(`${name}: no success response`);
      for (const [status, response] of success) {
        if (status === '204') continue;
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        if (schemas.length === 0 || schemas.some((schema) => !schema || Object.keys(schema).length === 0))
          problems.push(`${name}: success response ${status} has no body schema`);
      }
      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
      if (errors.length === 0) problems.push(`${name}: no error responses`);
      for (const [status, response] of errors) {
        const codes = errorCodes(response);
        if (codes === undefined) continue; // e.g. /health's 503 answers its own body
        for (const code of codes)
          if (httpStatusFor(code) !== Number(status))
            problems.push(`${name}: ${code} is answered with ${httpStatusFor(code)}, documented under ${status}`);
      }
    }
  }
  return problems;
}

/** The `code` enum of an error response in the envelope form `ApiErrors` writes. */
function errorCodes(response: ResponseLike): string[] | undefined {
  const schema = response.content?.['application/json']?.schema as { allOf?: Array<Record<string, unknown>> };
  const codeSchema = schema?.allOf?.map((part) => (part.properties as Record<string, { enum?: string[] }>)?.code)[1];
  return codeSchema?.enum;
}
