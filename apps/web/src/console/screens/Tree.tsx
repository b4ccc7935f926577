import { useState } from 'react';
import { get, Page } from '../api';
import { Me, OrgUnit } from '../session';
import { Busy, ErrorNote, useLoad } from '../ui';

/** The national tree, opened one level at a time (3,300 units: never loaded at once). */
export function Tree({ me }: { me: Me }) {
  if (!me.orgUnit) return <ErrorNote message="当前账号不属于任何单位" />;
  return (
    <section className="tree">
      <h2>全国单位树</h2>
      <ul>
        <Node unit={me.orgUnit} open />
      </ul>
    </section>
  );
}

function Node({ unit, open: initiallyOpen = false }: { unit: OrgUnit; open?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const hasChildren = (unit.childCount ?? 1) > 0;
  return (
    <li>
      {hasChildren ? (
        <button className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {unit.name}
        </button>
      ) : (
        <span>· {unit.name}</span>
      )}
      <span className="muted">
        （{unit.code}
        {unit.childCount ? `，下级 ${unit.childCount} 个` : ''}）
      </span>
      {open && <Children id={unit.id} />}
    </li>
  );
}

function Children({ id }: { id: string }) {
  const list = useLoad(() => get<Page<OrgUnit>>(`/org-units/${id}/children?pageSize=200`), [id]);
  if (list.error) return <ErrorNote message={list.error} />;
  if (!list.data) return <Busy />;
  return (
    <ul>
      {list.data.items.map((child) => (
        <Node key={child.id} unit={child} />
      ))}
    </ul>
  );
}
