import { get } from './api';

export interface OrgUnit {
  id: string;
  code: string;
  name: string;
  level: number;
  parentId: string | null;
  childCount?: number;
  parentName?: string | null;
  contact?: Record<string, string> | null;
}

export interface Me {
  id: string;
  username: string;
  orgUnitId: string | null;
  roles: string[];
  mustChangePassword: boolean;
  orgUnit: OrgUnit | null;
}

export const loadMe = () => get<Me>('/me');
export const isUnit = (me: Me) => me.roles.includes('ORG');
export const isRoot = (me: Me) => me.roles.includes('ROOT');
