// The safety audit's nine parameters (names and rubrics in both languages), for screens that
// show ratings. Asked for once `wanted` turns true; without it the ratings show by their codes.
import { useEffect, useState } from 'preact/hooks';
import type { AuditParameter } from '../ipc/bindings';
import { auditForm } from '../ipc/commands';

export function useAuditForm(wanted: boolean): AuditParameter[] | null {
  const [form, setForm] = useState<AuditParameter[] | null>(null);
  useEffect(() => {
    if (!wanted || form) return;
    let alive = true;
    auditForm()
      .then((f) => alive && setForm(f))
      .catch(() => {}); // the codes stand in for the names
    return () => {
      alive = false;
    };
  }, [wanted]);
  return form;
}
