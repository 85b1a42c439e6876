import { Fixture } from './support/fixture';

/** The fixture's promise to every spec: what a test started is gone when it ends, however it ends. */
describe('test fixture', () => {
  // Driven by hand here (enterTest/leaveTest stand for jest's hooks); this is the net if it fails.
  const fx = new Fixture();
  afterEach(async () => {
    await fx.leaveTest().catch(() => undefined);
    await fx.closeScope();
  });

  it('closes what a test started, newest first, even when one teardown fails, and leaves the block its own', async () => {
    const order: string[] = [];
    const blockSim = await fx.jetbrainsSimulator();
    fx.enterTest();
    const { sim, hub } = await fx.jetbrains({ faults: { latencyMs: 200, rate500: 1 } });
    fx.onClose(() => order.push('first'));
    fx.onClose(() => {
      order.push('failing');
      throw new Error('teardown failed');
    });
    fx.onClose(() => order.push('last'));
    await expect(fx.leaveTest()).rejects.toThrow('teardown failed');
    expect(order).toEqual(['last', 'failing', 'first']);
    expect(sim.server.listening).toBe(false);
    expect(sim.faults.settings).toMatchObject({ latencyMs: 0, rate500: 0 });
    await hub.close(); // already closed by the fixture: closing again is a no-op
    expect(blockSim.server.listening).toBe(true);
    await fx.closeScope();
    expect(blockSim.server.listening).toBe(false);
  });
});
