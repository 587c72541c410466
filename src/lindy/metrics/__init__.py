"""Forecasting metrics on the conventions of the chaos-forecasting literature."""

from ._pointwise import nrmse, rmse, smape, smape_per_step, valid_prediction_time

__all__ = ["rmse", "nrmse", "smape", "smape_per_step", "valid_prediction_time"]
