from .appeals import AdSlot, CallToAction, Click, HouseAd
from .giving import CancelReason, Donation, Plan, ProviderEvent
from .imports import SupporterImport
from .people import AmountPreset, GivingPage, SignInToken, Supporter

__all__ = [
    "CancelReason",
    "AdSlot",
    "CallToAction",
    "Click",
    "HouseAd",
    "AmountPreset",
    "Donation",
    "GivingPage",
    "Plan",
    "ProviderEvent",
    "SignInToken",
    "Supporter",
    "SupporterImport",
]
