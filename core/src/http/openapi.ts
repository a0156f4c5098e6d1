import { z, type ZodType } from 'zod';

export interface DocumentedRoute {
  method: string;
  path: string;
  summary: string;
  tags?: string[];
  auth: string;
  permission?: string;
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
  response?: ZodType;
  status?: number;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string' },
              code: { type: 'string' },
              message: { type: 'string' },
              limit: { type: 'number', description: 'too_small / too_big: the bound' },
              origin: { type: 'string', description: 'too_small / too_big: number, string (length), array (items), …' },
              inclusive: { type: 'boolean', description: 'too_small / too_big: whether the bound itself is allowed' },
            },
          },
        },
      },
    },
  },
};

const jsonSchema = (s: ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** Koa-router `:id` paths → OpenAPI `{id}`. */
const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Collects every route's schemas; the document is built from the same zod schemas the routes validate with. */
export class OpenApiRegistry {
  private routes: DocumentedRoute[] = [];

  add(route: DocumentedRoute) {
    this.routes.push(route);
  }

  document(info: { version: string; serverUrl: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const parameters: unknown[] = [];
      for (const [where, schema] of [
        ['path', r.params],
        ['query', r.query],
      ] as const) {
        if (!schema) continue;
        const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, s] of Object.entries(js.properties ?? {}))
          parameters.push({ name, in: where, required: where === 'path' || !!js.required?.includes(name), schema: s });
      }
      const op: Record<string, unknown> = {
        summary: r.summary,
        tags: r.tags,
        parameters,
        security: r.auth === 'public' ? [] : r.auth === 'operator' ? [{ operatorToken: [] }] : [{ session: [] }, { bearer: [] }],
        responses: {
          [String(r.status ?? 200)]: {
            description: 'OK',
            ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}),
          },
          '4XX': { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      };
      if (r.permission) op['x-permission'] = r.permission;
      if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
      (paths[toOpenApiPath(r.path)] ??= {})[r.method] = op;
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Kefu API', version: info.version },
      servers: [{ url: info.serverUrl }],
      paths,
      components: {
        schemas: { Error: errorSchema },
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kefu_session' },
          bearer: { type: 'http', scheme: 'bearer' },
          operatorToken: { type: 'http', scheme: 'bearer', description: 'KEFU_OPERATOR_TOKEN' },
        },
      },
    };
  }
}
