import { EduRule } from '../../rule';
import { statefulResourcesRetained } from './stateful-resources-retained';

export const keepRules: readonly EduRule[] = [statefulResourcesRetained];
