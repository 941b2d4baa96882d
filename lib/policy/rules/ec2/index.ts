import { EduRule } from '../../rule';

export const ec2Rules: readonly EduRule[] = [];
