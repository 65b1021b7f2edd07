"""The scikit-learn helpers we use that scikit-learn keeps private, in one place."""

from sklearn.utils._param_validation import Interval, InvalidParameterError

__all__ = ["Interval", "InvalidParameterError"]
