from .appeals import AdSlot, CallToAction, Click, HouseAd
from .giving import CancelReason, Donation, PaymentFailure, Plan, ProviderEvent
from .people import AmountPreset, GivingPage, SignInToken, Supporter

__all__ = [
    "CancelReason",
    "AdSlot",
    "CallToAction",
    "Click",
    "HouseAd",
    "AmountPreset",
    "Donation",
    "PaymentFailure",
    "GivingPage",
    "Plan",
    "ProviderEvent",
    "SignInToken",
    "Supporter",
]
