"""The attack simulation, bounded: parallel clients reveal no dossier, in process and over the running stack."""

import aiohttp
import pytest

from tests.conftest import e2e_proof
from tools.attack_dossiers import NOT_MATCHED, OTHER, REFUSED, SHOWN, classify, in_process, over_rest, run_attack


def test_replies_are_classified():
    assert classify("Hồ sơ X\n- Tình trạng: Đang xử lý") == SHOWN
    assert classify("Mình không tìm thấy hồ sơ khớp với ...") == NOT_MATCHED
    assert classify("việc tra cứu tạm khóa trong khoảng 5 phút") == REFUSED
    assert classify("Bạn cần nhập cả 4 chữ số cuối") == OTHER


async def test_a_botnet_of_fresh_conversations_reveals_nothing(tmp_path):
    guess, targets = in_process(tmp_path, codes=3)
    report = await run_attack(guess, targets, clients=30, seconds=2)
    print(report.summary())
    assert report.revealed == 0
    assert report.outcomes[NOT_MATCHED] <= 5 * len(targets)  # at most five compared per code
    assert report.outcomes[REFUSED] > report.outcomes[NOT_MATCHED]
    assert report.right_proof_last[REFUSED] == len(targets)  # the right proof, sent last, is refused too


@pytest.mark.slow
async def test_over_rest_the_running_stack_reveals_nothing(stack, e2e_dossier_db):
    code = e2e_dossier_db["codes"]["attacked"]  # as of the day the database was filled
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        report = await run_attack(over_rest(session, stack.rasa_url), {code: e2e_proof("attacked")},
                                  clients=4, seconds=8)
    print(report.summary())
    assert report.revealed == 0 and report.outcomes[NOT_MATCHED] <= 5
    assert report.outcomes[REFUSED] > 0 and report.right_proof_last[REFUSED] == 1
