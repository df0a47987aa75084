"""Every optimiser's first two steps, worked out by hand from its update rule."""

from math import sqrt

import numpy as np
import pytest

from gdstudio.core import ConfigError
from gdstudio.core.optimizers import OPTIMIZERS, Adagrad, Adam, Momentum, Nesterov, RMSprop, make_optimizer
from gdstudio.core.optimizers.sgd import GD

P0 = [1.0, -2.0]
G1 = [0.5, -1.0]
G2 = [0.25, 2.0]


def two_steps(opt):
    P = np.array([P0])
    state = opt.init(P)
    P, state = opt.update(np.array([G1]), state, P)
    p1 = P.copy()
    P, state = opt.update(np.array([G2]), state, P)
    return p1[0], P[0]


def test_gd():
    p1, p2 = two_steps(GD(lr=0.1))
    np.testing.assert_allclose(p1, [1 - 0.05, -2 + 0.1], rtol=1e-15)
    np.testing.assert_allclose(p2, [0.95 - 0.025, -1.9 - 0.2], rtol=1e-15)


def test_momentum_buffer_starts_at_the_first_gradient():
    p1, p2 = two_steps(Momentum(lr=0.1, momentum=0.9))
    # b1 = g1; b2 = 0.9 b1 + g2 = (0.7, 1.1)
    np.testing.assert_allclose(p1, [0.95, -1.9], rtol=1e-15)
    np.testing.assert_allclose(p2, [0.95 - 0.07, -1.9 - 0.11], rtol=1e-14)


def test_nesterov_looks_one_buffer_ahead():
    p1, p2 = two_steps(Nesterov(lr=0.1, momentum=0.9))
    # step1 = g1 + 0.9 g1 = (0.95, -1.9); step2 = g2 + 0.9 (0.7, 1.1) = (0.88, 2.99)
    np.testing.assert_allclose(p1, [1 - 0.095, -2 + 0.19], rtol=1e-14)
    np.testing.assert_allclose(p2, [0.905 - 0.088, -1.81 - 0.299], rtol=1e-14)


def test_adagrad_with_decay():
    eps = 1e-10
    p1, p2 = two_steps(Adagrad(lr=0.1, lr_decay=0.5, initial_accumulator=0.75))
    s1 = [0.75 + 0.25, 0.75 + 1.0]
    x1 = 1 - 0.1 * 0.5 / (sqrt(s1[0]) + eps)
    y1 = -2 + 0.1 * 1.0 / (sqrt(s1[1]) + eps)
    lr2 = 0.1 / (1 + 0.5)
    s2 = [s1[0] + 0.0625, s1[1] + 4.0]
    np.testing.assert_allclose(p1, [x1, y1], rtol=1e-14)
    np.testing.assert_allclose(
        p2, [x1 - lr2 * 0.25 / (sqrt(s2[0]) + eps), y1 - lr2 * 2.0 / (sqrt(s2[1]) + eps)], rtol=1e-14
    )


def test_rmsprop():
    eps = 1e-8
    p1, p2 = two_steps(RMSprop(lr=0.01))
    v1 = [0.01 * 0.25, 0.01 * 1.0]
    x1 = 1 - 0.01 * 0.5 / (sqrt(v1[0]) + eps)
    y1 = -2 + 0.01 * 1.0 / (sqrt(v1[1]) + eps)
    v2 = [0.99 * v1[0] + 0.01 * 0.0625, 0.99 * v1[1] + 0.01 * 4.0]
    np.testing.assert_allclose(p1, [x1, y1], rtol=1e-14)
    np.testing.assert_allclose(
        p2, [x1 - 0.01 * 0.25 / (sqrt(v2[0]) + eps), y1 - 0.01 * 2.0 / (sqrt(v2[1]) + eps)], rtol=1e-14
    )


def test_rmsprop_with_momentum():
    eps = 1e-8
    p1, p2 = two_steps(RMSprop(lr=0.01, alpha=0.9, momentum=0.5))
    v1 = [0.1 * 0.25, 0.1 * 1.0]
    b1 = [0.5 / (sqrt(v1[0]) + eps), -1.0 / (sqrt(v1[1]) + eps)]
    v2 = [0.9 * v1[0] + 0.1 * 0.0625, 0.9 * v1[1] + 0.1 * 4.0]
    b2 = [0.5 * b1[0] + 0.25 / (sqrt(v2[0]) + eps), 0.5 * b1[1] + 2.0 / (sqrt(v2[1]) + eps)]
    np.testing.assert_allclose(p1, [1 - 0.01 * b1[0], -2 - 0.01 * b1[1]], rtol=1e-14)
    np.testing.assert_allclose(p2, [p1[0] - 0.01 * b2[0], p1[1] - 0.01 * b2[1]], rtol=1e-14)


def test_adam_bias_correction():
    eps = 1e-8
    p1, p2 = two_steps(Adam(lr=0.1))
    # Step 1: m̂ = g, v̂ = g², so the step is lr·sign(g) (up to eps).
    x1 = 1 - 0.1 * 0.5 / (0.5 + eps)
    y1 = -2 + 0.1 * 1.0 / (1.0 + eps)
    m2 = [0.9 * 0.05 + 0.1 * 0.25, 0.9 * -0.1 + 0.1 * 2.0]
    v2 = [0.999 * 0.00025 + 0.001 * 0.0625, 0.999 * 0.001 + 0.001 * 4.0]
    bc1, bc2 = 1 - 0.9**2, 1 - 0.999**2
    step = [0.1 * (m / bc1) / (sqrt(v) / sqrt(bc2) + eps) for m, v in zip(m2, v2)]
    np.testing.assert_allclose(p1, [x1, y1], rtol=1e-14)
    np.testing.assert_allclose(p2, [x1 - step[0], y1 - step[1]], rtol=1e-12)


def test_adam_goes_on_as_torch_does_when_its_betas_change_mid_run():
    """Adam keeps its moments scaled; a live change of the betas must carry them over."""
    rng = np.random.default_rng(8)
    grads = rng.normal(size=(6, 2))
    settings = [(0.9, 0.999)] * 3 + [(0.5, 0.99)] * 3
    lr, eps = 0.05, 1e-8
    # torch.optim.Adam's rule, written out: the step count carries on, the betas are the current ones.
    want, m, v = np.array(P0), np.zeros(2), np.zeros(2)
    for t, (g, (b1, b2)) in enumerate(zip(grads, settings), start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        want = want - lr / (1 - b1**t) * m / (np.sqrt(v) / sqrt(1 - b2**t) + eps)
    P, opt = np.array([P0]), Adam(lr=lr)
    state = opt.init(P)
    for g, (b1, b2) in zip(grads, settings):
        new = Adam(lr=lr, beta1=b1, beta2=b2)
        state, opt = new.adopt(state, opt), new
        P, state = opt.update(g[None], state, P)
    np.testing.assert_allclose(P[0], want, rtol=1e-13)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_zero_learning_rate_leaves_the_weights_where_they_are(name):
    opt = OPTIMIZERS[name](lr=0.0)
    P = np.array([P0])
    state = opt.init(P)
    for g in (G1, G2):
        P, state = opt.update(np.array([g]), state, P)
    np.testing.assert_array_equal(P[0], P0)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_update_leaves_the_gradient_alone(name):
    """The simulation hands in its record of each gradient: an update must not change it."""
    opt = OPTIMIZERS[name](lr=0.1)
    P, G = np.ones((3, 2)), np.full((3, 2), 0.5)
    state = opt.init(P)
    for _ in range(2):
        P, state = opt.update(G, state, P)
    np.testing.assert_array_equal(G, 0.5)
    assert not np.array_equal(P, 1.0)


def test_runs_are_independent_rows():
    """K runs in one array step exactly as each would alone."""
    for cls in OPTIMIZERS.values():
        opt = cls(lr=0.05)
        rng = np.random.default_rng(3)
        P = rng.normal(size=(4, 2))
        Gs = [rng.normal(size=(4, 2)) for _ in range(3)]
        together, state = P.copy(), opt.init(P)
        for G in Gs:
            together, state = opt.update(G, state, together)
        for k in range(4):
            alone, s = P[k : k + 1].copy(), opt.init(P[k : k + 1])
            for G in Gs:
                alone, s = opt.update(G[k : k + 1], s, alone)
            np.testing.assert_array_equal(alone[0], together[k])


@pytest.mark.parametrize(
    ("name", "hyper", "fragment"),
    [
        ("gd", {}, "learning rate must be in [0, ∞), got -0.1"),
        ("adam", {"beta1": 1.0}, "beta1 must be in [0, 1), got 1.0"),
        ("adam", {"beta2": -0.1}, "beta2 must be in [0, 1)"),
        ("adam", {"eps": -1.0}, "eps must be in (0, ∞)"),
        ("momentum", {"momentum": 1.0}, "momentum must be in [0, 1)"),
        ("nesterov", {"momentum": 0.0}, "momentum must be in (0, 1)"),
        ("rmsprop", {"alpha": 1.5}, "alpha must be in [0, 1)"),
        ("rmsprop", {"alpha": 1.0}, "alpha must be in [0, 1), got 1.0"),  # v stays 0: every step is g/eps
        ("adagrad", {"lr_decay": -1.0}, "lr_decay must be in [0, ∞)"),
        ("adagrad", {"initial_accumulator": float("nan")}, "initial_accumulator must be"),
        ("gd", {"momentum": 0.5}, "momentum does not apply to gd"),
        ("adam", {"alpha": 0.5}, "alpha does not apply to adam"),
    ],
)
def test_bad_hyperparameters_are_refused_by_name(name, hyper, fragment):
    lr = -0.1 if not hyper else 0.1
    with pytest.raises(ConfigError, match=None) as info:
        make_optimizer(name, lr, **hyper)
    assert fragment in str(info.value)


def test_unknown_optimizer():
    with pytest.raises(ConfigError, match="unknown optimizer 'sgdd'"):
        make_optimizer("sgdd", 0.1)


def test_defaults_match_torch_optim():
    assert Momentum.defaults() == {"momentum": 0.9}  # torch: 0, i.e. plain GD; see docstring
    assert Adagrad.defaults() == {"lr_decay": 0.0, "initial_accumulator": 0.0, "eps": 1e-10}
    assert RMSprop.defaults() == {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0}
    assert Adam.defaults() == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
