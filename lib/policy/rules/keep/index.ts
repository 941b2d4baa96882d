import { EduRule } from '../../rule';
import { statefulResourcesRetainedRule } from './stateful-resources-retained';

export const keepRules: readonly EduRule[] = [statefulResourcesRetainedRule];
