import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS, auditActionName } from '@app/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// Every action the services record must have the Chinese name the auditor reads: the sources
// of every app and lib are read here and each audit call's `action` collected.

const ROOT = resolve(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'web' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/** The text of a call from its opening parenthesis to the matching close. */
function callText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

const LITERAL = /'([^'\\]*)'|"([^"\\]*)"/g;
const literals = (expression: string) => [...expression.matchAll(LITERAL)].map((m) => m[1] ?? m[2]);

/** Each audit call's action expression, with where it is. */
function auditedActions(): Array<{ where: string; expression: string; codes: string[] }> {
  const found: Array<{ where: string; expression: string; codes: string[] }> = [];
  for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    const calls = /(?:\baudit\.record|\baudit\.recordMany|\bthis\.record|\bauditEntry)\(/g;
    for (const call of text.matchAll(calls)) {
      const body = callText(text, call.index + call[0].length - 1);
      for (const action of body.matchAll(/\baction:\s*([^,\n}]+)/g)) {
        const expression = action[1].trim();
        let codes = literals(expression);
        // An action looked up in a table typed `Record<…, AuditAction>` of the same file.
        const table = expression.match(/^([A-Z_][A-Z0-9_]*)\[/)?.[1];
        if (table) {
          const declaration = text.match(new RegExp(`const ${table}\\b[^=]*AuditAction[^=]*=\\s*\\{([^}]*)\\}`));
          codes = declaration ? literals(declaration[1]) : [];
        }
        const line = text.slice(0, call.index).split('\n').length;
        found.push({ where: `${relative(ROOT, file)}:${line}`, expression, codes });
      }
    }
  }
  return found;
}

describe('audit action names', () => {
  const actions = auditedActions();

  it('finds the audit calls of every service', () => {
    const services = new Set(actions.map((a) => a.where.split('/')[1]));
    expect([...services].sort()).toEqual(
      expect.arrayContaining(['files', 'hierarchy', 'identity', 'intake', 'review']),
    );
    expect(actions.length).toBeGreaterThan(20);
  });

  it('gives every action used in code a Chinese name', () => {
    const unreadable = actions.filter((a) => a.codes.length === 0).map((a) => `${a.where}: ${a.expression}`);
    expect(unreadable).toEqual([]); // an action this check cannot read: write it as a literal or a typed table
    const unnamed = actions.flatMap((a) =>
      a.codes.filter((code) => !(code in AUDIT_ACTION_NAMES)).map((code) => `${a.where}: ${code}`),
    );
    expect(unnamed).toEqual([]);
    for (const code of AUDIT_ACTIONS) expect(AUDIT_ACTION_NAMES[code]).toMatch(/^[\u4e00-\u9fff]+$/);
  });

  it('names only actions that are used', () => {
    const used = new Set(actions.flatMap((a) => a.codes));
    expect(AUDIT_ACTIONS.filter((code) => !used.has(code))).toEqual([]);
  });

  it('reads 登录成功 and 登录失败, and keeps an unknown code as it is', () => {
    expect(auditActionName('auth.login', 'success')).toBe('登录成功');
    expect(auditActionName('auth.login', 'failure')).toBe('登录失败');
    expect(auditActionName('record.return', 'success')).toBe('退回');
    expect(auditActionName('something.old')).toBe('something.old');
  });
});
