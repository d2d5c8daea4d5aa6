/**
 * The four tools PaperLens offers coding agents, described once: the name, the model-facing
 * description of when to call each tool, and the JSON Schema of its input. The VS Code manifest
 * (`contributes.languageModelTools` in package.json) and the MCP server (`paperlens mcp`) both use
 * these; a unit test keeps package.json equal to them.
 */
import { SNIPPET_FRAMEWORKS } from '../snippets/types';

/** A JSON Schema of the small kind the tools need: an object of strings and integers. */
export interface ToolInputSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties: false;
}

export interface PropertySchema {
  type: 'string' | 'integer';
  description: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: string | number;
}

export interface AgentToolDefinition {
  /** Tool name, the same in VS Code and MCP. */
  name: AgentToolName;
  /** Short label shown in tool pickers. */
  displayName: string;
  /** What a user reads in the tool picker. */
  userDescription: string;
  /** What the model reads: when to call the tool and what it returns. */
  modelDescription: string;
  inputSchema: ToolInputSchema;
}

export type AgentToolName = 'paperlens_explainLoss' | 'paperlens_checkCode' | 'paperlens_getImplementation' | 'paperlens_searchPapers';

/** Largest code fragment accepted (characters); a fragment is a few lines to a file, not a project. */
export const MAX_CODE_CHARS = 200_000;
/** Most papers `paperlens_searchPapers` returns. */
export const MAX_SEARCH_LIMIT = 25;
export const DEFAULT_SEARCH_LIMIT = 8;

const FILE = 'Path of a Python file (.py) or notebook (.ipynb) in the workspace, relative to the workspace folder or absolute.';

export const AGENT_TOOLS: readonly AgentToolDefinition[] = [
  {
    name: 'paperlens_explainLoss',
    displayName: 'Explain Loss (PaperLens)',
    userDescription: 'Explain a loss function in ML code: formula, arguments, pitfalls and the papers behind it.',
    modelDescription:
      'Explains an ML loss function as PaperLens knows it: which loss a name or line of Python is (PyTorch, torchvision, Keras/TensorFlow, optax, Hugging Face and other libraries, or a hand-written `focal_loss`), its fully qualified name, its formula in LaTeX, what each argument passed in the call does and its default, known pitfalls (e.g. `reduction` conventions), and the papers that propose or study it with arXiv ids and links. ' +
      'Call it before writing, changing or reviewing loss code, and instead of citing a loss paper from memory. Give exactly one of: `identifier` (e.g. `nn.KLDivLoss`, `torch.nn.functional.cross_entropy`, `keras.losses.Huber`, `focal_loss`, or a concept id such as `focal`); `file` with a 1-based `line` (and optional `column`, and `cell` for notebooks); or `code`, a Python fragment (every loss in it is explained; the usual torch/keras/optax imports are assumed when the fragment has none).',
    inputSchema: {
      type: 'object',
      properties: {
        identifier: { type: 'string', minLength: 1, description: 'A loss name as written in code or a PaperLens concept id, e.g. `nn.CrossEntropyLoss`, `F.kl_div`, `sigmoid_focal_loss`, `focal`.' },
        file: { type: 'string', minLength: 1, description: FILE },
        line: { type: 'integer', minimum: 1, description: 'With `file`: 1-based line of the loss (within the cell for notebooks).' },
        column: { type: 'integer', minimum: 1, description: 'With `file`: 1-based column on the line; omit to explain every loss on the line.' },
        cell: { type: 'integer', minimum: 0, description: 'With a notebook `file`: 0-based index of the cell among all cells, as in the .ipynb `cells` array.' },
        code: { type: 'string', minLength: 1, description: 'A Python code fragment; every loss in it is explained, with the arguments it passes.' },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'paperlens_checkCode',
    displayName: 'Check Loss Code (PaperLens)',
    userDescription: 'Check Python code for loss bugs that papers and library docs warn about, with fixes.',
    modelDescription:
      "Runs PaperLens's paper-aware checks on Python loss code and returns each finding with its rule id, line and column, message, severity, the source of the claim, and the text edits of its quick fixes. The rules include: `nn.KLDivLoss`/`F.kl_div` with `reduction='mean'` (not the true KL divergence; use 'batchmean'), KL divergence fed probabilities instead of log-probabilities, softmax before cross-entropy, sigmoid before BCELoss or BCEWithLogitsLoss, NLL loss on softmax, Keras cross-entropy on logits without `from_logits=True`, and cross-entropy over a large vocabulary. " +
      'Call it after writing or editing code that computes a loss, and when reviewing training code. Give exactly one of `file` (a .py or .ipynb file in the workspace) or `code` (a Python fragment; the usual torch/keras/optax imports are assumed when it has none). It reads only; apply the edits yourself.',
    inputSchema: {
      type: 'object',
      properties: {
        file: { type: 'string', minLength: 1, description: FILE },
        code: { type: 'string', minLength: 1, description: 'Python source to check.' },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'paperlens_getImplementation',
    displayName: 'Get Loss Implementation (PaperLens)',
    userDescription: 'Get a verified implementation of a loss function, with its imports and its paper.',
    modelDescription:
      'Returns a verified implementation of a loss function (a Python file that the PaperLens test suite executes under the framework before it ships), with the imports it needs, its public functions and signatures, and the paper it implements with its arXiv id. ' +
      'Call it when you need to write a loss that the library does not provide (focal, dice, Tversky, InfoNCE, SupCon, DPO and others) instead of writing it from memory. `concept` is a concept id (`focal`), a loss name (`focal loss`) or a function name (`focal_loss`); an unknown concept gives the closest known ones.',
    inputSchema: {
      type: 'object',
      properties: {
        concept: { type: 'string', minLength: 1, description: 'Concept id (e.g. `focal`, `dice`, `info-nce`), loss name, or function name.' },
        framework: { type: 'string', enum: SNIPPET_FRAMEWORKS, default: 'pytorch', description: 'Framework of the implementation.' },
      },
      required: ['concept'],
      additionalProperties: false,
    },
  },
  {
    name: 'paperlens_searchPapers',
    displayName: 'Search Loss Papers (PaperLens)',
    userDescription: "Search PaperLens's corpus of loss-function papers (and the user's own papers).",
    modelDescription:
      "Searches PaperLens's paper corpus (papers that propose or study loss functions, plus the user's own .bib and PaperLens JSON files) and returns papers with their ids (arXiv ids where known), titles, years, venues, links, BibTeX citation keys, the loss concepts they are tagged with, and whether each is a strong match for the query. " +
      'Call it to find or cite the paper behind a loss or technique, and to check a citation instead of inventing one. The query is words (typos are corrected), a library identifier (`CrossEntropyLoss`), or hints: `year:2020..2023`, `concept:focal`, `author:lin`, `"exact phrase"`, `-excluded`.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'Search words, an identifier, or hints such as `concept:focal year:2017`.' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: DEFAULT_SEARCH_LIMIT, description: `Most papers to return (1–${MAX_SEARCH_LIMIT}).` },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
];

export const AGENT_TOOLS_BY_NAME: ReadonlyMap<string, AgentToolDefinition> = new Map(AGENT_TOOLS.map((t) => [t.name, t]));

/**
 * Checks `input` against a tool's schema. Returns a message naming the first problem, or undefined
 * when the input is valid. The editor and MCP hosts may validate too; the tools never rely on it.
 */
export function validateToolInput(schema: ToolInputSchema, input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'the input must be a JSON object';
  const record = input as Record<string, unknown>;
  for (const name of schema.required ?? []) {
    if (record[name] === undefined) return `\`${name}\` is required`;
  }
  for (const [name, value] of Object.entries(record)) {
    const prop = schema.properties[name];
    if (!prop) return `unknown property \`${name}\` (expected ${Object.keys(schema.properties).map((k) => `\`${k}\``).join(', ')})`;
    if (value === undefined) continue;
    if (prop.type === 'string') {
      if (typeof value !== 'string') return `\`${name}\` must be a string`;
      if (prop.minLength !== undefined && value.trim().length < prop.minLength) return `\`${name}\` must not be empty`;
      if (prop.enum && !prop.enum.includes(value)) return `\`${name}\` must be one of ${prop.enum.map((e) => `\`${e}\``).join(', ')}, got \`${value}\``;
    } else {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `\`${name}\` must be an integer`;
      if (prop.minimum !== undefined && value < prop.minimum) return `\`${name}\` must be at least ${prop.minimum}, got ${value}`;
      if (prop.maximum !== undefined && value > prop.maximum) return `\`${name}\` must be at most ${prop.maximum}, got ${value}`;
    }
  }
  return undefined;
}
