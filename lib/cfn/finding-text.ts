/**
 * Text embedded in a finding ID. Finding IDs are acknowledged by name, so they
 * must not contain `::` (reserved by the CDK validation framework) or spaces,
 * and stay short enough to read in a CI log.
 */
export function findingText(value: string, maxLength = 120): string {
  const safe = value.replace(/::+/g, ':').replace(/\s+/g, '_');
  return safe.length > maxLength ? `${safe.slice(0, maxLength)}...` : safe;
}
