from django.urls import path

from .views import account, clicks, gifts, giving, sign_in, webhooks

app_name = "supporters"
urlpatterns = [
    path("go/c/<int:object_id>/", clicks.go, {"kind": "c"}, name="go-call"),
    path("go/a/<int:object_id>/", clicks.go, {"kind": "a"}, name="go-ad"),
    path("support/", giving.support, name="support"),
    path("support/gift/", gifts.give_gift, name="give-gift"),
    path("support/gift/claim/<str:token>/", gifts.claim_gift, name="claim-gift"),
    path("support/thanks/", giving.thanks, name="thanks"),
    path("support/checkout/test/<str:token>/", giving.dev_checkout, name="dev-checkout"),
    path("support/checkout/test/card/<str:token>/", giving.dev_card, name="dev-card"),
    path("support/card/done/", giving.card_done, name="card-done"),
    path("support/card/<str:token>/", giving.card, name="card"),
    path("support/stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
    path("account/", account.account, name="account"),
    path("account/login/", sign_in.sign_in, name="sign-in"),
    path("account/login/<str:token>/", sign_in.sign_in_link, name="sign-in-link"),
    path("account/logout/", sign_in.sign_out, name="sign-out"),
    path("account/logout/everywhere/", sign_in.sign_out_everywhere, name="sign-out-everywhere"),
    path("account/gifts/<int:donation_id>/disown/", account.disown, name="disown"),
    path("account/plans/<int:plan_id>/cancel/", account.cancel, name="cancel-plan"),
    path("account/plans/<int:plan_id>/resume/", account.resume, name="resume-plan"),
    path("account/plans/<int:plan_id>/amount/", account.change_amount, name="change-amount"),
    path("account/plans/<int:plan_id>/frequency/", account.change_frequency, name="change-frequency"),
    path("account/plans/<int:plan_id>/card/", account.manage_card, name="manage-card"),
    path("account/details/", account.update_details, name="details"),
    path("account/data/", account.download, name="download"),
    path("account/delete/", account.delete, name="delete"),
]
