/**
 * The layout rules of `terraform fmt` (hclwrite) that a hand-written file most often breaks: two-space indent per
 * line that opens brackets, and `=` aligned across consecutive single-line assignments. An approximation for this
 * machine, which has no terraform binary; CI runs the real `terraform fmt -check`.
 */

interface LayoutProblem {
  readonly line: number;
  readonly message: string;
}

/** The line with string contents blanked (interpolations kept) and any trailing comment removed. */
function codeOf(line: string): string {
  let out = '';
  let inString = false;
  let interpolation = 0;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] ?? '';
    const next = line[index + 1] ?? '';
    if (inString) {
      if (char === '\\') {
        out += '__';
        index += 1;
      } else if (char === '"' && interpolation === 0) {
        inString = false;
        out += char;
      } else if (char === '$' && next === '{') {
        interpolation += 1;
        out += '${';
        index += 1;
      } else if (interpolation > 0 && char === '}') {
        interpolation -= 1;
        out += char;
      } else {
        out += interpolation > 0 ? char : '_';
      }
      continue;
    }
    if (char === '"') inString = true;
    if (char === '#' || (char === '/' && next === '/')) break;
    out += char;
  }
  return out.trimEnd();
}

function netBrackets(code: string): number {
  let net = 0;
  for (const char of code) {
    if ('([{'.includes(char)) net += 1;
    if (')]}'.includes(char)) net -= 1;
  }
  return net;
}

function checkLayout(text: string): LayoutProblem[] {
  const lines = text.split('\n');
  const problems: LayoutProblem[] = [];
  const assigns = lines.map((line) => {
    const match = /^(.*?[^=!<>])=(?![=>])(.*)$/.exec(codeOf(line));
    if (!match?.[1]?.trim()) return undefined;
    return { lead: match[1], whole: netBrackets(match[2] ?? '') === 0 };
  });
  let chain: number[] = [];
  const closeChain = () => {
    const width = Math.max(...chain.map((index) => assigns[index]?.lead.trimEnd().length ?? 0));
    for (const index of chain) {
      if (assigns[index]?.lead.length !== width + 1)
        problems.push({ line: index + 1, message: `align '=' at column ${width + 2}` });
    }
    chain = [];
  };
  assigns.forEach((assign, index) => {
    if (assign?.whole) {
      chain.push(index);
      return;
    }
    closeChain();
    if (assign && assign.lead.length !== assign.lead.trimEnd().length + 1) {
      problems.push({ line: index + 1, message: "one space before '='" });
    }
  });
  closeChain();
  // hclwrite's indent stack: a line opening brackets adds one level, however many it opens.
  const stack: number[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    if (/\s$/.test(line) || line.includes('\t'))
      problems.push({ line: index + 1, message: 'trailing space or tab' });
    const net = netBrackets(codeOf(line));
    let level = stack.length;
    if (net > 0) stack.push(net);
    if (net < 0) {
      let closed = -net;
      while (closed > 0 && stack.length > 0) {
        const top = stack.at(-1) ?? 0;
        if (closed >= top) {
          closed -= top;
          stack.pop();
        } else {
          stack[stack.length - 1] = top - closed;
          closed = 0;
        }
      }
      level = stack.length;
    }
    const indent = line.length - line.trimStart().length;
    if (indent !== 2 * level)
      problems.push({ line: index + 1, message: `indent ${2 * level}, found ${indent}` });
  });
  return problems;
}

export type { LayoutProblem };
export { checkLayout };
