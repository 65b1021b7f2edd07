"""The scikit-learn helpers we use that scikit-learn keeps private, in one place."""

from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError

__all__ = ["HasMethods", "Interval", "InvalidParameterError"]
