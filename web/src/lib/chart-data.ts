// Pure helpers that turn API bars and a prediction into lightweight-charts series data and ranges.
import type { Time } from 'lightweight-charts';
import type { ApiBar, Forecast, Prediction, PriceInterval } from '@stockops/api';
import { parseDay, toDay } from './format';

type Bar = Pick<ApiBar, 'date'>;

export const RANGES = ['1M', '6M', '1Y', '5Y', 'All'] as const;
export type RangeKey = (typeof RANGES)[number];

const RANGE_MONTHS: Record<Exclude<RangeKey, 'All'>, number> = {
  '1M': 1,
  '6M': 6,
  '1Y': 12,
  '5Y': 60,
};

export interface Point {
  time: string;
  value: number;
}

/**
 * Bars sorted by date with duplicates dropped: lightweight-charts throws on a repeated or
 * out-of-order time, and a thrown error there would blank the whole page.
 */
export function cleanBars<B extends Bar>(bars: readonly B[]): B[] {
  const byDate = new Map<string, B>();
  for (const bar of bars) {
    byDate.set(bar.date, bar);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Weekdays strictly between two dates; holidays are not known here, so they are counted too. */
function weekdaysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = parseDay(to).getTime();
  const cursor = parseDay(from);
  // A bounded loop: a bogus far-future target date must not hang the tab.
  for (let i = 0; i < 400; i++) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    if (cursor.getTime() >= end) {
      break;
    }
    const weekday = cursor.getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      days.push(toDay(cursor));
    }
  }
  return days;
}

/**
 * A straight path from the last close to a forecast value. The time scale spaces points by index,
 * not by calendar, so a 20-day forecast drawn with only its two end points would sit one bar away
 * from today; the intermediate weekdays keep its distance honest.
 */
export function forecastPath(
  prediction: Pick<Prediction, 'asOf' | 'targetDate' | 'lastClose'>,
  endValue: number,
): Point[] {
  const { asOf, targetDate, lastClose } = prediction;
  if (!(targetDate > asOf)) {
    return [];
  }
  const middle = weekdaysBetween(asOf, targetDate);
  const steps = middle.length + 1;
  return [
    { time: asOf, value: lastClose },
    ...middle.map((time, i) => ({
      time,
      value: lastClose + ((endValue - lastClose) * (i + 1)) / steps,
    })),
    { time: targetDate, value: endValue },
  ];
}

/** An interval of the forecast path at one time, as a filled band draws it. */
export interface BandPoint {
  time: string;
  lower: number;
  upper: number;
}

/** The forecast path as chart series: its line and one band per interval level (widest last). */
export interface PathSeries {
  line: Point[];
  bands: { level: number; points: BandPoint[] }[];
}

/**
 * The server's forecast path as series that start at the last close, where the line and every band
 * meet with zero width, and run through each trading day of the path (the server's own calendar, so
 * the dates are the exchange's sessions).
 */
export function pathSeries(forecast: Pick<Forecast, 'asOf' | 'lastClose' | 'path'>): PathSeries {
  const { asOf, lastClose, path } = forecast;
  const days = path.filter((p) => p.date > asOf);
  if (days.length === 0) {
    return { line: [], bands: [] };
  }
  const levels = [...new Set(days.flatMap((p) => p.interval.map((i) => i.level)))].sort(
    (a, b) => a - b,
  );
  const start = { time: asOf, lower: lastClose, upper: lastClose };
  return {
    line: [
      { time: asOf, value: lastClose },
      ...days.map((p) => ({ time: p.date, value: p.predictedClose })),
    ],
    bands: levels.map((level) => ({
      level,
      points: [
        start,
        ...days.flatMap((p) => {
          const i = intervalAt(p.interval, level);
          return i ? [{ time: p.date, lower: i.lower, upper: i.upper }] : [];
        }),
      ],
    })),
  };
}

/** The interval of a level (compared with a tolerance: levels arrive as decimals). */
export function intervalAt(
  intervals: readonly PriceInterval[],
  level: number,
): PriceInterval | undefined {
  return intervals.find((i) => Math.abs(i.level - level) < 1e-9);
}

/** The band to draw: 80% when the server sends it (the level the card names), else the first one. */
export function chartInterval(intervals: readonly PriceInterval[]): PriceInterval | undefined {
  return intervals.find((i) => Math.abs(i.level - 0.8) < 1e-9) ?? intervals[0];
}

export interface LogicalRange {
  from: number;
  to: number;
}

/**
 * The visible window for a range button, in bar indices (the chart's logical units). The window
 * ends past the forecast's last point with a margin of a few bars, so the forecast and its price
 * label are never flush with the price axis.
 */
export function visibleWindow(
  range: RangeKey,
  bars: readonly Bar[],
  forecast: readonly Point[],
): LogicalRange | undefined {
  const last = bars.at(-1);
  if (last === undefined) {
    return undefined;
  }
  const extra = forecast.filter((p) => p.time > last.date).length;
  let from = 0;
  if (range !== 'All') {
    const start = parseDay(last.date);
    start.setUTCMonth(start.getUTCMonth() - RANGE_MONTHS[range]);
    const day = toDay(start);
    const index = bars.findIndex((bar) => bar.date >= day);
    from = index < 0 ? 0 : index;
  }
  const lastIndex = bars.length - 1 + extra;
  const margin = Math.max(3, Math.round((lastIndex - from) * 0.1));
  return { from, to: lastIndex + margin };
}

/** Crosshair times come back in the form they were given, but be tolerant of the other two forms. */
export function timeToDay(time: Time): string {
  if (typeof time === 'string') {
    return time;
  }
  if (typeof time === 'number') {
    return toDay(new Date(time * 1000));
  }
  const month = String(time.month).padStart(2, '0');
  const day = String(time.day).padStart(2, '0');
  return `${time.year}-${month}-${day}`;
}
