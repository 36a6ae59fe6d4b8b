// approval.js — who may act on a plan in the approval chain (unit → 主管单位 → 组织部), as
// far as the UI can tell: it only avoids offering what the server would refuse.
import { t } from '@/i18n/index.js';

// The tag type of an approval state.
export const approvalType = (s) => ({ submitted: 'warning', approved: 'success', rejected: 'danger' }[s] ?? 'info');

export const waitingText = (w) => (w === 'parent' ? t('approval.waitParent') : w === 'org' ? t('approval.waitOrg') : '');

// The drafter: its unit's liaison, or an org admin for a region's plan.
export function isDrafter(session, p) {
  const u = session.user;
  if (!session.can('plan.write') || !u) return false;
  return p.unit_id ? u.unit_id === p.unit_id : u.role === 'org_admin';
}

// The approver of the step the plan waits for.
export function isApprover(session, p) {
  const u = session.user;
  if (p.status !== 'submitted' || !u) return false;
  if (p.waiting_for === 'org') return session.can('plan.approve');
  if (p.waiting_for === 'parent') return u.role === 'unit_liaison' && u.unit_id !== p.unit_id;
  return false;
}

export const planEditable = (session, p) => isDrafter(session, p) && ['none', 'rejected'].includes(p.status);
