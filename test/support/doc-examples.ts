/**
 * Runs the shell examples of the Markdown docs against a real server (test/docs-examples.test.ts).
 *
 * A doc's ```bash blocks that call curl (or set PLAZA=) run in order in one bash process, so a
 * variable set by one block (`ORDER=$(curl … | json .id)`) is there for the next. A `curl` function
 * wraps the real one: any HTTP status ≥ 400 fails the doc, unless the example marks the error it
 * expects with a comment after it (on its last line or the next one): `# → 409 INSUFFICIENT_STOCK`.
 * The status must then be that one (and the problem's `code`, when given), so the marker is checked too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FencedBlock {
  lang: string;
  /** 1-based line of the block's first content line in the file. */
  line: number;
  text: string;
}

/** Every fenced code block of a Markdown text, with its language tag. */
export const fencedBlocks = (markdown: string): FencedBlock[] => {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  let open: { lang: string; line: number; fence: string; indent: number; body: string[] } | null = null;
  lines.forEach((l, i) => {
    const fence = /^( *)(```+)\s*([\w-]*)/.exec(l);
    if (!open) {
      if (fence) {
        const [, indent = '', marks = '```', lang = ''] = fence;
        open = { lang, line: i + 2, fence: marks, indent: indent.length, body: [] };
      }
      return;
    }
    if (fence && (fence[2] ?? '').length >= open.fence.length && (fence[3] ?? '') === '') {
      blocks.push({ lang: open.lang, line: open.line, text: open.body.join('\n') });
      open = null;
      return;
    }
    open.body.push(l.slice(Math.min(open.indent, /^ */.exec(l)?.[0].length ?? 0)));
  });
  return blocks;
};

/** The blocks the test runs: bash blocks that call curl or set PLAZA (the README's setup). */
export const runnableBlocks = (markdown: string): FencedBlock[] =>
  fencedBlocks(markdown).filter((b) => b.lang === 'bash' && /\bcurl\b|^PLAZA=/m.test(b.text));

export interface Statement {
  /** 1-based line in the block. */
  line: number;
  text: string;
  /** `409 INSUFFICIENT_STOCK` from a `# → …` marker, or '' when the call must succeed. */
  expect: string;
}

const MARKER = /#\s*→\s*(\d{3})(?:\s+([A-Z][A-Z0-9_]+))?/;

/**
 * Splits a bash block into top-level statements (a statement goes on while a quote is open or a
 * line ends with a backslash) and attaches each `# → …` marker to the statement before it.
 */
export const statements = (block: string): Statement[] => {
  const out: Statement[] = [];
  let single = false;
  let double = false;
  let current: Statement | null = null;
  for (const [i, line] of block.split('\n').entries()) {
    const continuing = current !== null && (single || double || /\\$/.test(current.text));
    let comment = '';
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (single) {
        if (ch === "'") single = false;
      } else if (ch === '\\') c++;
      else if (ch === "'" && !double) single = true;
      else if (ch === '"') double = !double;
      else if (ch === '#' && !double && (c === 0 || /\s/.test(line[c - 1] ?? ''))) {
        comment = line.slice(c);
        break;
      }
    }
    const code = comment ? line.slice(0, line.length - comment.length) : line;
    const marker = MARKER.exec(comment);
    const expect = marker ? `${marker[1]} ${marker[2] ?? ''}`.trim() : '';
    if (continuing && current) {
      current.text += `\n${line}`;
      if (expect) current.expect = expect;
    } else if (code.trim() === '') {
      // A comment line right after a statement may carry its marker.
      if (expect && current) current.expect = expect;
      if (line.trim() === '') current = null;
    } else {
      current = { line: i + 1, text: line, expect };
      out.push(current);
    }
  }
  return out;
};

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bash functions every doc runs with: the checking `curl`, and the statement bookkeeping. */
export const PRELUDE = String.raw`
set -eo pipefail
plaza_fail() {
  printf '%s\n' "FAILED at $(cat "$PLAZA_STATE/at"): $1" | tee -a "$PLAZA_STATE/failures" >&2
  exit 1
}
plaza_at() {
  printf '%s' "$1" > "$PLAZA_STATE/at"
  printf '%s' "$2" > "$PLAZA_STATE/expect"
}
plaza_done() {
  if [ -s "$PLAZA_STATE/expect" ]; then plaza_fail "expected $(cat "$PLAZA_STATE/expect"), but no curl answered it"; fi
}
curl() {
  local body meta status code expect want
  body=$(mktemp -p "$PLAZA_STATE")
  meta=$(mktemp -p "$PLAZA_STATE")
  # The status is the last 3 bytes of curl's own output; what comes before (headers of -D -) is shown.
  command curl -sS -o "$body" -w '%{http_code}' "$@" > "$meta" || plaza_fail "curl $* could not complete"
  status=$(tail -c 3 "$meta")
  head -c -3 "$meta"
  echo "$status" >> "$PLAZA_STATE/calls"
  code=$(sed -n 's/.*"code":"\([A-Z0-9_]*\)".*/\1/p' "$body" | head -n 1)
  expect=$(cat "$PLAZA_STATE/expect")
  if [ -n "$expect" ]; then
    : > "$PLAZA_STATE/expect"
    want="$status"
    case "$expect" in *" "*) want="$status $code" ;; esac
    if [ "$want" != "$expect" ]; then
      plaza_fail "expected $expect, got $status $code from curl $*: $(head -c 600 "$body")"
    fi
    echo "$status" >> "$PLAZA_STATE/expected"
  elif [ "$status" -ge 400 ]; then
    plaza_fail "HTTP $status $code from curl $*: $(head -c 600 "$body")"
  fi
  cat "$body"
  echo
}
`;

/** The script that runs a doc's blocks (with `prelude` first, such as the README's setup block). */
export const docScript = (file: string, blocks: FencedBlock[], prelude = ''): string => {
  const parts = [PRELUDE, prelude];
  for (const b of blocks) {
    for (const s of statements(b.text)) {
      const at = `${file}:${b.line + s.line - 1}`;
      parts.push(`plaza_at ${quote(at)} ${quote(s.expect)}`, s.text, 'plaza_done');
    }
  }
  return `${parts.join('\n')}\n`;
};

export interface DocRun {
  code: number | null;
  output: string;
  /** HTTP calls made, and how many of them were expected errors. */
  calls: number;
  expectedErrors: number;
  failures: string;
}

/** Runs a script from docScript with bash, in an empty folder. */
export const runDocScript = (
  script: string,
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<DocRun> =>
  new Promise((resolve, reject) => {
    const state = mkdtempSync(join(tmpdir(), 'plaza-docs-'));
    const proc = spawn('bash', ['-c', script], {
      cwd: state,
      env: { ...process.env, ...env, PLAZA_STATE: state },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    proc.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const read = (f: string) => {
      try {
        return readFileSync(join(state, f), 'utf8');
      } catch {
        return '';
      }
    };
    proc.once('error', reject);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      const lines = (f: string) => read(f).split('\n').filter(Boolean).length;
      const run = {
        code,
        output,
        calls: lines('calls'),
        expectedErrors: lines('expected'),
        failures: read('failures'),
      };
      rmSync(state, { recursive: true, force: true });
      resolve(run);
    });
  });
