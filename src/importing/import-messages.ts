import type { z } from 'zod';

// Rejects in an editor's words: what was wrong, the value that was given, and what is allowed,
// instead of zod's own wording ("expected string, received undefined").

const MAX_ISSUES = 5;

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is missing';
      return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`} (got ${shown(input)})`;
    case 'invalid_format':
      if (issue.format === 'datetime')
        return `must be a date and time with its time zone, such as 2013-06-29T16:05:00Z (got ${shown(input)})`;
      return `${issue.message} (got ${shown(input)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => shown(value)).join(', ')} (got ${shown(input)})`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'is empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters (got ${String(input).length})`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return issue.message;
    case 'invalid_union':
      return 'must be a paragraph (text), a photo ({ "photo": ... }) or a related-links block ({ "related": ... })';
    default:
      return issue.message;
  }
}

/** "field.path: what is wrong; ..." for a rejected record. */
export function describeImportIssues(issues: readonly z.core.$ZodIssue[]): string {
  const described = issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.map(String).join('.') || 'record'}: ${describeIssue(issue)}`);
  if (issues.length > MAX_ISSUES) described.push(`and ${issues.length - MAX_ISSUES} more`);
  return described.join('; ');
}

/** An unknown section, with the ones that exist (or what to do when there are none). */
export function unknownSectionMessage(given: string, known: readonly string[]): string {
  if (known.length === 0) {
    return `section: unknown section "${given}": this database has no sections yet; run npm run seed to load the site's sections, or add them with npm run sections -- add`;
  }
  return `section: unknown section "${given}"; known sections: ${[...known].sort().join(', ')}`;
}
