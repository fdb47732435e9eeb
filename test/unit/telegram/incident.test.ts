import { describe, expect, it } from 'vitest';
import { Incident } from '../../../src/telegram/incident.ts';

describe('Incident', () => {
  it('reports only the first failure of a run, and the run when a call succeeds again', () => {
    let now = 0;
    const incident = new Incident(() => now);
    expect(incident.succeed()).toBeNull();
    expect([incident.fail(), incident.fail(), incident.fail()]).toEqual([true, false, false]);
    now = 2500;
    expect(incident.succeed()).toEqual({ failures: 3, ms: 2500 });
    expect(incident.succeed()).toBeNull();
    expect(incident.fail()).toBe(true);
  });
});
