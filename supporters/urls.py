from django.urls import path

from . import accounts, clicks, gift_views, views, webhooks

app_name = "supporters"
urlpatterns = [
    path("go/c/<int:object_id>/", clicks.go, {"kind": "c"}, name="go-call"),
    path("go/a/<int:object_id>/", clicks.go, {"kind": "a"}, name="go-ad"),
    path("support/", views.support, name="support"),
    path("support/gift/", gift_views.give_gift, name="give-gift"),
    path("support/gift/claim/<str:token>/", gift_views.claim_gift, name="claim-gift"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("support/checkout/test/<str:token>/", views.dev_checkout, name="dev-checkout"),
    path("support/checkout/test/card/<str:token>/", views.dev_card, name="dev-card"),
    path("support/card/done/", views.card_done, name="card-done"),
    path("support/card/<str:token>/", views.card, name="card"),
    path("support/stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
    path("account/", accounts.account, name="account"),
    path("account/login/", accounts.sign_in, name="sign-in"),
    path("account/login/<str:token>/", accounts.sign_in_link, name="sign-in-link"),
    path("account/logout/", accounts.sign_out, name="sign-out"),
    path("account/logout/everywhere/", accounts.sign_out_everywhere, name="sign-out-everywhere"),
    path("account/gifts/<int:donation_id>/disown/", accounts.disown, name="disown"),
    path("account/plans/<int:plan_id>/cancel/", accounts.cancel, name="cancel-plan"),
    path("account/plans/<int:plan_id>/resume/", accounts.resume, name="resume-plan"),
    path("account/plans/<int:plan_id>/amount/", accounts.change_amount, name="change-amount"),
    path("account/plans/<int:plan_id>/frequency/", accounts.change_frequency, name="change-frequency"),
    path("account/plans/<int:plan_id>/card/", accounts.manage_card, name="manage-card"),
    path("account/details/", accounts.update_details, name="details"),
    path("account/data/", accounts.download, name="download"),
    path("account/delete/", accounts.delete, name="delete"),
]
