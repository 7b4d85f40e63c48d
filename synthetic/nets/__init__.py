"""Small networks in numpy with hand-written gradients, and their training loops.

Laptop-scale analogs of the neural-network experiments of Zhang, He, Sra, Jadbabaie,
arXiv 1905.11881 v2 (Figs 1-5): see :mod:`synthetic.nets.tasks`. Real data without a
download in :mod:`synthetic.nets.corpora`; exact midpoint curvature in
:mod:`synthetic.nets.curvature`.
"""

from .curvature import Curvature, midpoint_curvature, power_iteration
from .data import Dataset, adding_problem, gaussian_regression, teacher_classification
from .models import CharLSTM, DeepLinear, MLPClassifier, Model, ResidualMLP, TanhRNN
from .tasks import ITERATIONS, PANELS, TASKS, Panel, Task, make_task, panels
from .train import METHODS, CurvatureLog, TrainConfig, TrainResult, label, train

__all__ = [
    "ITERATIONS",
    "CharLSTM",
    "Curvature",
    "CurvatureLog",
    "ResidualMLP",
    "midpoint_curvature",
    "power_iteration",
    "METHODS",
    "PANELS",
    "Panel",
    "panels",
    "TASKS",
    "Dataset",
    "DeepLinear",
    "MLPClassifier",
    "Model",
    "TanhRNN",
    "Task",
    "TrainConfig",
    "TrainResult",
    "adding_problem",
    "gaussian_regression",
    "label",
    "make_task",
    "teacher_classification",
    "train",
]
