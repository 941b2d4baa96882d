import { AuditResult } from '../audit';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** Renders an audit result in one of the output formats. */
export function formatResult(result: AuditResult, format: Format): string {
  switch (format) {
    case 'text':
      return formatText(result);
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result);
    case 'junit':
      return formatJunit(result);
  }
}

export { formatJson, formatJunit, formatSarif, formatText };
