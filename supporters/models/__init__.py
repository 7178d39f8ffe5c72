from .appeals import AdSlot, CallToAction, Click, HouseAd
from .failures import PaymentFailure
from .gifts import GiftMembership
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
    "PaymentFailure",
    "GiftMembership",
    "GivingPage",
    "Plan",
    "ProviderEvent",
    "SignInToken",
    "Supporter",
    "SupporterImport",
]
