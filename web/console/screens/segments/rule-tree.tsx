/**
 * The rule tree editor: groups ("all of", "any of", "none of" = `{ not: { any } }`) holding conditions
 * and groups, each removable; a condition of any kind is added from a list. The tree edited is the
 * API's own `SegmentRules` value, so what is shown is what is sent.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../kit/fields.tsx';
import { Badge, Button } from '../../../kit/ui.tsx';
import { LeafEditor } from './conditions.tsx';
import { LEAF_KINDS, type LeafKind, leafKind, MAX_DEPTH, newLeaf, type Rules } from './data.ts';

type Mode = 'all' | 'any' | 'none';
interface Group {
  mode: Mode;
  children: Rules[];
}

/** A group node as mode + children; undefined when the node is not a group. */
export const asGroup = (node: Rules): Group | undefined => {
  if ('all' in node) return { mode: 'all', children: node.all };
  if ('any' in node) return { mode: 'any', children: node.any };
  if ('not' in node && 'any' in node.not) return { mode: 'none', children: node.not.any };
  return undefined;
};

const fromGroup = (g: Group): Rules =>
  g.mode === 'all'
    ? { all: g.children }
    : g.mode === 'any'
      ? { any: g.children }
      : { not: { any: g.children } };

const NodeEditor = ({
  node,
  onChange,
  onRemove,
  depth,
}: {
  node: Rules;
  onChange: (n: Rules) => void;
  onRemove?: () => void;
  depth: number;
}) => {
  const { t } = useTranslation();
  const group = asGroup(node);
  if (group)
    return (
      <GroupEditor group={group} onChange={(g) => onChange(fromGroup(g))} onRemove={onRemove} depth={depth} />
    );
  if ('not' in node)
    return (
      <div className="sg-node" data-kind="not">
        <div className="pz-row">
          <Badge tone="warning">{t('segments.rule.not')}</Badge>
          <span className="pz-spacer" />
          {onRemove && (
            <Button variant="ghost" onClick={onRemove}>
              {t('segments.rule.remove')}
            </Button>
          )}
        </div>
        <NodeEditor node={node.not} onChange={(n) => onChange({ not: n })} depth={depth + 1} />
      </div>
    );
  const kind = leafKind(node);
  if (!kind) return null;
  return (
    <fieldset className="sg-node sg-leaf" data-testid="rule-condition" data-kind={kind}>
      <legend>
        <Badge tone="info">{t(`segments.kinds.${kind}`)}</Badge>
      </legend>
      <div className="sg-leaf-fields">
        <LeafEditor node={node} onChange={onChange} />
      </div>
      {onRemove && (
        <Button variant="ghost" onClick={onRemove}>
          {t('segments.rule.remove')}
        </Button>
      )}
    </fieldset>
  );
};

const GroupEditor = ({
  group,
  onChange,
  onRemove,
  depth,
}: {
  group: Group;
  onChange: (g: Group) => void;
  onRemove?: (() => void) | undefined;
  depth: number;
}) => {
  const { t } = useTranslation();
  const [kind, setKind] = useState<LeafKind>('trait');
  const set = (i: number, n: Rules) =>
    onChange({ ...group, children: group.children.map((c, j) => (j === i ? n : c)) });
  const remove = (i: number) => onChange({ ...group, children: group.children.filter((_c, j) => j !== i) });
  return (
    <div className="sg-node sg-group" data-testid="rule-group" data-mode={group.mode}>
      <div className="pz-row">
        <SelectField
          label={t('segments.rule.match')}
          value={group.mode}
          onChange={(e) => onChange({ ...group, mode: e.target.value as Mode })}
          data-testid="rule-group-mode"
        >
          {(['all', 'any', 'none'] as const).map((m) => (
            <option key={m} value={m}>
              {t(`segments.rule.modes.${m}`)}
            </option>
          ))}
        </SelectField>
        <span className="pz-spacer" />
        {onRemove && (
          <Button variant="ghost" onClick={onRemove}>
            {t('segments.rule.removeGroup')}
          </Button>
        )}
      </div>
      <div className="sg-children">
        {group.children.map((c, i) => {
          const props = {
            node: c,
            depth: depth + 1,
            onChange: (n: Rules) => set(i, n),
            onRemove: () => remove(i),
          };
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity; every input is controlled by the tree
          return <NodeEditor key={i} {...props} />;
        })}
        {group.children.length === 0 && <p className="pz-muted">{t('segments.rule.emptyGroup')}</p>}
      </div>
      <div className="pz-row sg-add">
        <SelectField
          label={t('segments.rule.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as LeafKind)}
          data-testid="rule-add-kind"
        >
          {LEAF_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`segments.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <Button
          onClick={() => onChange({ ...group, children: [...group.children, newLeaf(kind)] })}
          data-testid="rule-add"
        >
          {t('segments.rule.add')}
        </Button>
        {depth + 1 < MAX_DEPTH && (
          <Button
            variant="ghost"
            onClick={() => onChange({ ...group, children: [...group.children, { any: [] }] })}
          >
            {t('segments.rule.addGroup')}
          </Button>
        )}
      </div>
    </div>
  );
};

/** The root of the tree: always a group (a lone condition is shown inside "all of"). */
export const RuleTree = ({ rules, onChange }: { rules: Rules; onChange: (r: Rules) => void }) => {
  const group = asGroup(rules) ?? { mode: 'all' as const, children: [rules] };
  return <GroupEditor group={group} onChange={(g) => onChange(fromGroup(g))} depth={1} />;
};

/** Empty groups cannot be sent (a group needs at least one rule): dropped before a preview or a save. */
export const pruneEmpty = (node: Rules): Rules | undefined => {
  const g = asGroup(node);
  if (g) {
    const children = g.children.map(pruneEmpty).filter((c): c is Rules => c !== undefined);
    return children.length ? fromGroup({ mode: g.mode, children }) : undefined;
  }
  if ('not' in node) {
    const inner = pruneEmpty(node.not);
    return inner ? { not: inner } : undefined;
  }
  return node;
};
