import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validation of the OSCAL 1.1.2 assessment-results document.
 *
 * The official schema (release asset `oscal_assessment-results_schema.json`
 * of usnistgov/OSCAL v1.1.2, sha256
 * d033da70154cf6625ae46a746199e88e58f2928b1387dfac051d381b92f41b0d) could not
 * be obtained byte-for-byte when this test was written (no network; it is in
 * no npm package), so it is not vendored and nothing here claims to be it.
 * Instead the document is validated against the closest verifiable official
 * v1.1.2 schema: every definition the assessment-results model shares with the
 * vendored, sha256-checked component-definition schema
 * (test/schemas/oscal-component-definition-schema.json: metadata, property,
 * link, back-matter, system-component and the datatypes UUID, token,
 * date-time with time zone, URI reference) is taken from it unchanged, and
 * the assessment-results assemblies are written out below from the OSCAL
 * 1.1.2 assessment-results JSON reference (required fields, allowed values of
 * the enumerated tokens, no additional properties). When the official file is
 * vendored, validate against it instead and delete this one.
 */

const token = { $ref: '#/definitions/TokenDatatype' };
const uuid = { $ref: '#/definitions/UUIDDatatype' };
const dateTime = { $ref: '#/definitions/DateTimeWithTimezoneDatatype' };
const uriRef = { $ref: '#/definitions/URIReferenceDatatype' };
const text = { type: 'string' };
const remarks = { $ref: '#field_oscal-metadata_remarks' };
const props = { type: 'array', minItems: 1, items: { $ref: '#assembly_oscal-metadata_property' } };
const links = { type: 'array', minItems: 1, items: { $ref: '#assembly_oscal-metadata_link' } };
const arrayOf = (items: object): object => ({ type: 'array', minItems: 1, items });
const strict = (properties: Record<string, object>, required: string[]): object => ({ type: 'object', properties, required, additionalProperties: false });
const oneOfTokens = (values: string[]): object => ({ allOf: [token, { enum: values }] });

const AR_DEFINITIONS = {
  'ar:assessment-results': strict({
    uuid, metadata: { $ref: '#assembly_oscal-metadata_metadata' },
    'import-ap': strict({ href: uriRef, remarks }, ['href']),
    'local-definitions': { type: 'object' },
    results: arrayOf({ $ref: '#/definitions/ar:result' }),
    'back-matter': { $ref: '#assembly_oscal-metadata_back-matter' },
  }, ['uuid', 'metadata', 'import-ap', 'results']),
  'ar:result': strict({
    uuid, title: text, description: text, start: dateTime, end: dateTime, props, links,
    'local-definitions': strict({
      components: arrayOf({ $ref: '#assembly_oscal-implementation-common_system-component' }),
      'inventory-items': arrayOf({ type: 'object' }), users: arrayOf({ type: 'object' }), 'assessment-assets': { type: 'object' }, tasks: arrayOf({ type: 'object' }),
    }, []),
    'reviewed-controls': strict({
      description: text, props, links,
      'control-selections': arrayOf(strict({
        description: text, props, links, 'include-all': { type: 'object' },
        'include-controls': arrayOf(strict({ 'control-id': token, 'statement-ids': arrayOf(token) }, ['control-id'])),
        'exclude-controls': arrayOf(strict({ 'control-id': token, 'statement-ids': arrayOf(token) }, ['control-id'])),
        remarks,
      }, [])),
      'control-objective-selections': arrayOf({ type: 'object' }),
      remarks,
    }, ['control-selections']),
    attestations: arrayOf({ type: 'object' }), 'assessment-log': { type: 'object' },
    observations: arrayOf({ $ref: '#/definitions/ar:observation' }),
    risks: arrayOf({ $ref: '#/definitions/ar:risk' }),
    findings: arrayOf({ $ref: '#/definitions/ar:finding' }),
    remarks,
  }, ['uuid', 'title', 'description', 'start', 'reviewed-controls']),
  'ar:observation': strict({
    uuid, title: text, description: text, props, links,
    methods: arrayOf(oneOfTokens(['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN'])),
    types: arrayOf(oneOfTokens(['ssp-statement-issue', 'control-objective', 'mitigation', 'finding', 'historic'])),
    origins: arrayOf({ type: 'object' }),
    subjects: arrayOf(strict({ 'subject-uuid': uuid, type: oneOfTokens(['component', 'inventory-item', 'location', 'party', 'user']), title: text, props, links, remarks }, ['subject-uuid', 'type'])),
    'relevant-evidence': arrayOf(strict({ href: uriRef, description: text, props, links, remarks }, ['description'])),
    collected: dateTime, expires: dateTime, remarks,
  }, ['uuid', 'description', 'methods', 'collected']),
  'ar:risk': strict({
    uuid, title: text, description: text, statement: text, props, links, status: token,
    origins: arrayOf({ type: 'object' }), 'threat-ids': arrayOf({ type: 'object' }), characterizations: arrayOf({ type: 'object' }),
    'mitigating-factors': arrayOf({ type: 'object' }), deadline: dateTime, remediations: arrayOf({ type: 'object' }), 'risk-log': { type: 'object' },
    'related-observations': arrayOf(strict({ 'observation-uuid': uuid }, ['observation-uuid'])),
    remarks,
  }, ['uuid', 'title', 'description', 'statement', 'status']),
  'ar:finding': strict({
    uuid, title: text, description: text, props, links, origins: arrayOf({ type: 'object' }),
    target: strict({
      type: oneOfTokens(['statement-id', 'objective-id']), 'target-id': token, title: text, description: text, props, links,
      status: strict({ state: oneOfTokens(['satisfied', 'not-satisfied']), reason: token, remarks }, ['state']),
      'implementation-status': { type: 'object' }, remarks,
    }, ['type', 'target-id', 'status']),
    'implementation-statement-uuid': uuid,
    'related-observations': arrayOf(strict({ 'observation-uuid': uuid }, ['observation-uuid'])),
    'related-risks': arrayOf(strict({ 'risk-uuid': uuid }, ['risk-uuid'])),
    remarks,
  }, ['uuid', 'title', 'description', 'target']),
};

/** Validates an assessment-results document (see the file comment for which schema). */
export function assessmentResultsErrors(document: unknown): string[] {
  const official = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'oscal-component-definition-schema.json'), 'utf8')) as { definitions: Record<string, object> };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'urn:edu-security-baseline:test:oscal-1.1.2-assessment-results-structure',
    type: 'object',
    definitions: { ...official.definitions, ...AR_DEFINITIONS },
    properties: { 'assessment-results': { $ref: '#/definitions/ar:assessment-results' } },
    required: ['assessment-results'],
    additionalProperties: false,
  };
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
