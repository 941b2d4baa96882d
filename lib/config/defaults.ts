/** The config `cdk synth` and the CLI read when none is given. Kept import-free so the CLI can show its help without loading the config schema. */
export const DEFAULT_CONFIG_PATH = 'config/example.yaml';
