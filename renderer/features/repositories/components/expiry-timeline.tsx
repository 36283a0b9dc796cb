import { type ReactElement, useId } from 'react';

import { daysUntil, formatDate, formatDateTime, shortId } from '../../../lib/format';
import { DAY, domain, ticks } from './expiry-scale';
import { type ReportView, WARN_DAYS } from './report-types';
import { ScrollRegion } from '../../../components/scroll-region';

const WIDTH = 960;
const LABEL_W = 250;
const RIGHT = 24;
const TOP = 34;
const LANE = 30;
const AXIS_H = 30;

interface Lane {
  label: string;
  kind: string;
  expires: number;
}

function laneState(days: number): 'err' | 'warn' | 'ok' {
  return days < 0 ? 'err' : days < WARN_DAYS ? 'warn' : 'ok';
}

const STATE_TEXT = { err: 'Expired', warn: 'Expiring soon', ok: 'OK' } as const;

/**
 * Each role's (and root certificate's) expiry on one time axis, with the evaluation time and
 * the warning window. Drawn by hand in SVG; the table below carries the same data as text.
 */
export function ExpiryTimeline({ report }: { report: ReportView }): ReactElement {
  const titleId = useId();
  const descId = useId();
  const now = new Date(report.evaluatedAt).getTime();
  const lanes: Lane[] = [
    ...report.roles.flatMap((r) => (r.expires === null ? [] : [{ label: r.name, kind: 'role', expires: new Date(r.expires).getTime() }])),
    ...report.keys.flatMap((k) =>
      // Several root keys share one CN (the GUN); the key ID prefix tells their certificates apart.
      k.cert === null ? [] : [{ label: `cert ${shortId(k.id, 8)} (${k.roles.join(', ') || 'unused'})`, kind: 'certificate', expires: new Date(k.cert.notAfter).getTime() }],
    ),
  ].filter((lane) => !Number.isNaN(lane.expires));

  if (lanes.length === 0) return <p className="muted">No role in this repository carries an expiry date.</p>;

  const [from, to] = domain(now, lanes.map((l) => l.expires), WARN_DAYS);
  const plotW = WIDTH - LABEL_W - RIGHT;
  const x = (t: number): number => LABEL_W + ((t - from) / (to - from)) * plotW;
  const height = TOP + lanes.length * LANE + AXIS_H;
  const axisY = TOP + lanes.length * LANE;
  const isToday = Math.abs(Date.now() - now) < DAY;

  return (
    <div className="stack">
      <div className="card timeline">
        <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
          <title id={titleId}>Expiry timeline</title>
          <desc id={descId}>
            {lanes.map((l) => `${l.label} expires ${formatDate(new Date(l.expires).toISOString())}`).join('; ')}
          </desc>
          <rect className="warn-window" x={x(now)} y={TOP - 6} width={Math.max(6, x(now + WARN_DAYS * DAY) - x(now))} height={lanes.length * LANE + 6} />
          <g className="axis">
            <line x1={LABEL_W} x2={WIDTH - RIGHT} y1={axisY} y2={axisY} />
            {ticks(from, to).map((tick) => (
              <g key={tick.t} className="tick">
                <line className="grid-line" x1={x(tick.t)} x2={x(tick.t)} y1={TOP - 6} y2={axisY} />
                <text x={x(tick.t)} y={axisY + 18} textAnchor="middle">
                  {tick.label}
                </text>
              </g>
            ))}
          </g>
          {lanes.map((lane, i) => {
            const y = TOP + i * LANE;
            const state = laneState(daysUntil(new Date(lane.expires).toISOString(), now));
            const x0 = x(Math.min(now, lane.expires));
            const x1 = x(Math.max(now, lane.expires));
            return (
              <g key={`${lane.kind}-${lane.label}`}>
                <text className="lane-label" x={LABEL_W - 10} y={y + LANE / 2 + 4} textAnchor="end">
                  {lane.label}
                </text>
                <rect className={`bar-${state}`} x={x0} y={y + 8} width={Math.max(2, x1 - x0)} height={LANE - 16} rx={3} opacity={0.35} />
                <circle className={`bar-${state}`} cx={x(lane.expires)} cy={y + LANE / 2} r={6} />
              </g>
            );
          })}
          <g className="today">
            <line x1={x(now)} x2={x(now)} y1={TOP - 14} y2={axisY} />
            <text x={x(now)} y={TOP - 18} textAnchor="middle">
              {isToday ? 'Today' : 'Evaluated'}
            </text>
          </g>
        </svg>
        <p className="legend">
          <span>Dot: expiry date. Shaded band: the {WARN_DAYS}-day warning window after {isToday ? 'today' : 'the evaluation time'}.</span>
          <span>Green: valid · Amber: expires within {WARN_DAYS} days · Red: expired.</span>
        </p>
      </div>
      <ScrollRegion label="Expiry dates table">
        <table className="table" aria-label="Expiry dates">
          <thead>
            <tr>
              <th scope="col">Role or certificate</th>
              <th scope="col">Expires</th>
              <th scope="col" className="num">
                Days left
              </th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {lanes.map((lane) => {
              const iso = new Date(lane.expires).toISOString();
              const days = daysUntil(iso, now);
              const state = laneState(days);
              return (
                <tr key={`${lane.kind}-${lane.label}`}>
                  <th scope="row" className="mono">
                    {lane.label}
                  </th>
                  <td>{formatDateTime(iso)}</td>
                  <td className="num">{days}</td>
                  <td>
                    <span className={`badge tone-${state}`}>{STATE_TEXT[state]}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
