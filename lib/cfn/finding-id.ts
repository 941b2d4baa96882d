/**
 * Finding IDs are acknowledged by exact string, so they must be stable and
 * must not contain `::` (the CDK validation framework's namespace separator)
 * nor whitespace. This makes an arbitrary fragment safe to embed.
 */
export function findingPart(text: string, max = 80): string {
  const safe = text.replace(/::+/g, ':').replace(/\s+/g, '_').replace(/[[\]]/g, '');
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}
