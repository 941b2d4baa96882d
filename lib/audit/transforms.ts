/**
 * Templates that CloudFormation transforms before it deploys them. The rules
 * read CloudFormation resources, so a transformed template is either expanded
 * here, where the transform's semantics are documented and local, or its
 * untransformed parts are reported as "not evaluated", never silently passed.
 *
 * - `AWS::LanguageExtensions` `Fn::ForEach` ("Fn::ForEach", AWS CloudFormation
 *   User Guide, intrinsic function reference): `Fn::ForEach::<Loop>: [Identifier,
 *   Collection, {OutputKey: OutputValue}]` repeats OutputKey/OutputValue for each
 *   string of Collection; `${Identifier}` and `&{Identifier}` (the value without
 *   non-alphanumeric characters) are replaced in the key, `${Identifier}` in
 *   `Fn::Sub` strings, and `Ref: Identifier` by the value. Collection is a list of
 *   strings or a Ref to a list parameter, read from its Default. Loops nest.
 * - `AWS::Serverless-2016-10-31` (SAM) expands resources by rules that live in
 *   the SAM translator; SAM resources are not evaluated.
 * - Other transforms (macros, AWS::Include) run code or fetch files at deploy
 *   time; the template is audited as written and the transform reported.
 */

/** A part of a template the rules could not see, reported as a warning finding. */
export interface NotEvaluated {
  /** Logical ID (or loop key) the note is about; '' for the whole template. */
  readonly id: string;
  readonly reason: string;
}

const FOR_EACH = 'Fn::ForEach::';
const SAM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
/** Sections where Fn::ForEach may appear. */
const LOOP_SECTIONS = ['Resources', 'Outputs', 'Conditions'];

type Json = unknown;
type Template = Record<string, Json>;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The transforms a template declares (`Transform: X` or `[X, Y]`). */
export function declaredTransforms(template: Template): string[] {
  const t = template.Transform;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return t === undefined ? [] : ['(non-literal Transform)'];
}

/** The strings of a loop's collection, or undefined when they cannot be known before deployment. */
function collectionValues(collection: Json, template: Template): string[] | undefined {
  if (Array.isArray(collection)) return collection.every((v) => typeof v === 'string') ? (collection as string[]) : undefined;
  if (isRecord(collection) && typeof collection.Ref === 'string') {
    const param = isRecord(template.Parameters) ? template.Parameters[collection.Ref] : undefined;
    const fallback = isRecord(param) ? param.Default : undefined;
    if (typeof fallback === 'string') return fallback.split(',').map((v) => v.trim());
    if (Array.isArray(fallback) && fallback.every((v) => typeof v === 'string')) return fallback as string[];
  }
  return undefined;
}

/** Replaces the loop identifier in a key. */
function substituteKey(key: string, identifier: string, value: string): string {
  return key.split(`\${${identifier}}`).join(value).split(`&{${identifier}}`).join(value.replace(/[^A-Za-z0-9]/g, ''));
}

/** Replaces the loop identifier in a value: Ref to it, and `${identifier}` inside Fn::Sub strings. */
function substituteValue(node: Json, identifier: string, value: string): Json {
  if (Array.isArray(node)) return node.map((n) => substituteValue(n, identifier, value));
  if (!isRecord(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === identifier) return value;
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const sub = node['Fn::Sub'];
    const replace = (s: Json): Json => (typeof s === 'string' ? s.split(`\${${identifier}}`).join(value) : s);
    return { 'Fn::Sub': Array.isArray(sub) ? [replace(sub[0]), substituteValue(sub[1], identifier, value)] : replace(sub) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [substituteKey(k, identifier, value), substituteValue(v, identifier, value)]));
}

/** Expands the loops of one section, recursively; loops that cannot be expanded are dropped and noted. */
function expandSection(section: Record<string, Json>, template: Template, notes: NotEvaluated[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!key.startsWith(FOR_EACH)) {
      out[key] = value;
      continue;
    }
    const loop = Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && isRecord(value[2]) ? value : undefined;
    const values = loop ? collectionValues(loop[1], template) : undefined;
    if (!loop || !values) {
      notes.push({ id: key, reason: `${key} is not evaluated: its collection is not a list of strings known before deployment (a literal list, or a Ref to a list parameter with a Default)` });
      continue;
    }
    const [identifier, , body] = loop as [string, Json, Record<string, Json>];
    for (const v of values) {
      const instance = Object.fromEntries(Object.entries(body).map(([k, b]) => [substituteKey(k, identifier, v), substituteValue(b, identifier, v)]));
      Object.assign(out, expandSection(instance, template, notes));
    }
  }
  return out;
}

/**
 * The template as the rules should see it, and what could not be evaluated.
 * Expands Fn::ForEach; notes SAM resources and transforms it cannot apply.
 */
export function applyTransforms(template: Template): { template: Template; notEvaluated: NotEvaluated[] } {
  const notes: NotEvaluated[] = [];
  const transforms = declaredTransforms(template);
  let result: Template = { ...template };
  if (transforms.includes(LANGUAGE_EXTENSIONS) || LOOP_SECTIONS.some((s) => isRecord(result[s]) && Object.keys(result[s] as object).some((k) => k.startsWith(FOR_EACH)))) {
    for (const section of LOOP_SECTIONS) {
      if (isRecord(result[section])) result = { ...result, [section]: expandSection(result[section] as Record<string, Json>, template, notes) };
    }
  }
  for (const [id, resource] of Object.entries(isRecord(result.Resources) ? result.Resources : {})) {
    const type = isRecord(resource) ? resource.Type : undefined;
    // Kept in the template (other resources may refer to it); no rule reads these types.
    if (typeof type === 'string' && type.startsWith('AWS::Serverless::')) {
      notes.push({
        id,
        reason:
          `${type} is not evaluated: the SAM transform decides at deploy time which CloudFormation resources it becomes. ` +
          'Audit the processed template (sam build, or aws cloudformation get-template --template-stage Processed).',
      });
    }
  }
  for (const t of transforms.filter((x) => x !== LANGUAGE_EXTENSIONS && x !== SAM)) {
    notes.push({ id: '', reason: `Transform ${t} is not applied: it runs at deploy time; the template is audited as written.` });
  }
  return { template: result, notEvaluated: notes };
}
