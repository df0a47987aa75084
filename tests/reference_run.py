"""Where a run is after some steps, worked out in the test process without the engine: what
the engine's frames are checked against."""

from gdstudio.core.run_setup import RunSetup


def params_after(setup: RunSetup, steps: int, changed: RunSetup | None = None):
    """``setup``'s weights after ``steps`` steps, then (with ``changed``) one step more with
    ``changed``'s optimiser, the change made as the engine makes it mid-run (the optimiser's
    state carried over), or by starting again when ``changed`` alters a starting value."""
    sim = setup.make_simulation()
    if changed is not None:
        specs = changed.make_optimizer(sim.problem).hyperparameters()
        if any(specs[k].at_start for k in changed.hyper if setup.hyper.get(k) != changed.hyper[k]):
            sim = changed.make_simulation()
        else:
            sim.advance(steps)
            sim.optimizer = changed.make_optimizer(sim.problem)
        steps = 1
    sim.advance(steps)
    return sim.params[0].copy()
