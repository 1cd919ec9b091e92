import pytest
from django.db import IntegrityError, transaction

from awards.models import AwardDecision, AwardRecipient
from tests.factories import make_decision, make_organization, make_person

pytestmark = pytest.mark.django_db


def test_a_recipient_is_either_a_collective_or_an_individual():
    decision = make_decision()
    org, person = make_organization("Công an phường Minh Khai"), make_person("Nguyễn Văn Hùng")
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRecipient.objects.create(decision=decision)  # neither
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRecipient.objects.create(decision=decision, organization=org, person=person)  # both
    AwardRecipient.objects.create(decision=decision, organization=org)
    AwardRecipient.objects.create(decision=decision, person=person)
    assert decision.recipients.count() == 2


def test_the_same_recipient_cannot_appear_twice_on_one_decision():
    decision = make_decision()
    person = make_person("Nguyễn Văn Hùng")
    AwardRecipient.objects.create(decision=decision, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRecipient.objects.create(decision=decision, person=person)
    other = make_decision("5678/QĐ-UBND", authority=decision.authority)
    AwardRecipient.objects.create(decision=other, person=person)  # another decision is fine


def test_a_decision_number_is_unique_per_authority():
    decision = make_decision()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_decision(authority=decision.authority)
    make_decision(authority=make_organization("Ủy ban nhân dân phường Minh Khai"))
    assert AwardDecision.objects.count() == 2


def test_counts_of_collectives_and_individuals():
    decision = make_decision()
    for n in range(3):
        AwardRecipient.objects.create(
            decision=decision, organization=make_organization(f"Tập thể {n}")
        )
    AwardRecipient.objects.create(decision=decision, person=make_person())
    counted = AwardDecision.objects.with_counts().get()
    assert (counted.collective_count, counted.individual_count) == (3, 1)
