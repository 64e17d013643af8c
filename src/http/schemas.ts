/**
 * The JSON shapes of the control plane (docs/API.md), as zod schemas: they
 * validate requests and generate the OpenAPI document at /openapi.json.
 */
import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors.ts';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../services/TokenService.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;

export const Name = z.string().regex(NAME).openapi({ description: '2-63 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit', example: 'agent-42' });
const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-22T05:00:00.000Z' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

export const NamespaceParams = z.object({ ns: z.string().openapi({ param: { name: 'ns', in: 'path' }, example: 'agents' }) });
export const RepoParams = NamespaceParams.extend({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'task-1' }) });
export const RepoTokenParams = RepoParams.extend({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const AdminTokenParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

const Limit = z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'page size, 1-200' });
const Cursor = z.string().max(1024).optional().openapi({ description: 'next_cursor of the previous page' });
export const PageQuery = z.object({ limit: Limit, cursor: Cursor });

export const Namespace = z
  .object({ name: z.string(), created_at: Timestamp, repo_count: z.number().int() })
  .openapi('Namespace');
export const NamespaceList = z.object({ namespaces: z.array(Namespace), next_cursor: z.string().nullable() }).openapi('NamespaceList');
export const CreateNamespace = z.object({ name: Name }).strict();
export const DeleteNamespaceQuery = z.object({ force: z.enum(['true', 'false']).optional().openapi({ description: 'also delete the repositories it holds' }) });

export const RepoSource = z
  .union([
    z.object({ kind: z.literal('fork'), id: z.string(), namespace: z.string(), name: z.string() }),
    z.object({ kind: z.literal('import'), url: z.string(), branch: z.string().nullable(), depth: z.number().int().nullable() }),
  ])
  .nullable()
  .openapi('RepoSource');

export const Repo = z
  .object({
    id: z.string(),
    name: z.string(),
    namespace: z.string(),
    description: z.string(),
    default_branch: z.string(),
    read_only: z.boolean(),
    status: z.enum(['ready', 'importing', 'failed']),
    status_reason: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    last_push_at: Timestamp.nullable(),
    source: RepoSource,
    remote: z.string().openapi({ description: 'the Git remote URL', example: 'http://127.0.0.1:8787/git/agents/task-1.git' }),
  })
  .openapi('Repo');
export const RepoWithToken = Repo.extend({ token: z.string().openapi({ description: 'a write token for the new repository, valid one day, shown this once' }) }).openapi('RepoWithToken');
export const RepoList = z.object({ repos: z.array(Repo), next_cursor: z.string().nullable() }).openapi('RepoList');

const Description = z.string().max(4096);
const Branch = z.string().min(1).max(255);

export const CreateRepo = z
  .object({ name: Name, description: Description.optional(), default_branch: Branch.optional(), read_only: z.boolean().optional() })
  .strict();
export const UpdateRepo = z
  .object({ description: Description.optional(), default_branch: Branch.optional(), read_only: z.boolean().optional() })
  .strict();
export const ListReposQuery = PageQuery.extend({
  search: z.string().max(63).optional().openapi({ description: 'substring of the name, case-insensitive' }),
  sort: z.enum(['created_at', 'updated_at', 'last_push_at', 'name']).default('created_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export const ForkRepo = z
  .object({
    name: Name,
    namespace: Name.optional().openapi({ description: 'where the fork goes (default: the parent\'s namespace)' }),
    description: Description.optional(),
    read_only: z.boolean().optional(),
    default_branch_only: z.boolean().optional().openapi({ description: 'copy HEAD and the default branch only (default true), or every ref' }),
  })
  .strict();
export const ImportRepo = z
  .object({
    url: z.string().min(1).max(4096).openapi({ example: 'https://github.com/octocat/Hello-World.git' }),
    branch: Branch.optional(),
    depth: z.number().int().min(1).max(2 ** 31 - 1).optional(),
    headers: z.record(z.string(), z.string()).optional().openapi({ description: 'sent to the remote (e.g. Authorization); never stored' }),
    description: Description.optional(),
    read_only: z.boolean().optional(),
    wait: z.boolean().optional().openapi({ description: 'answer once the import has ended (201), instead of at once (202)' }),
  })
  .strict();

const Scope = z.enum(['read', 'write']);
const Ttl = z.number().int().min(MIN_TTL_SECONDS).max(MAX_TTL_SECONDS).openapi({ description: `seconds, ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}` });
const Label = z.string().max(256);
export const CreateRepoToken = z.object({ scope: Scope.optional(), ttl: Ttl.optional(), label: Label.optional() }).strict();
export const CreateAdminToken = z.object({ ttl: Ttl.optional(), label: Label.optional() }).strict();
export const MintedToken = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'the secret, shown this once' }),
    scope: z.enum(['read', 'write', 'admin']),
    label: z.string(),
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
  })
  .openapi('MintedToken');
export const Token = z
  .object({
    id: z.string(),
    scope: z.enum(['read', 'write', 'admin']),
    label: z.string(),
    state: z.enum(['active', 'expired', 'revoked']),
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    last_used_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
  })
  .openapi('Token');
export const TokenList = z.object({ tokens: z.array(Token), next_cursor: z.string().nullable() }).openapi('TokenList');
export const ListTokensQuery = PageQuery.extend({ state: z.enum(['active', 'expired', 'revoked', 'all']).default('active') });
