from .appeals import AdSlot, CallToAction, Click, HouseAd
from .gifts import GiftMembership
from .giving import CancelReason, Donation, Plan, ProviderEvent
from .people import AmountPreset, GivingPage, SignInToken, Supporter

__all__ = [
    "CancelReason",
    "AdSlot",
    "CallToAction",
    "Click",
    "HouseAd",
    "AmountPreset",
    "Donation",
    "GiftMembership",
    "GivingPage",
    "Plan",
    "ProviderEvent",
    "SignInToken",
    "Supporter",
]
