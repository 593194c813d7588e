"""The paper cards from Python: nerds.papers() and nerds.paper(id) read papers/*.json (the
files' form, each toggle with 'available'); a card added as a file is listed; a malformed
card raises InputError naming the file and the field."""
import json
import os

import pytest

import nerds


def test_papers_lists_the_real_cards_in_publication_order():
    cards = nerds.papers()
    ids = [c["id"] for c in cards]
    assert ids[0] == "nerf"
    assert {"mip-nerf", "instant-ngp", "barf", "nerf-w"} <= set(ids)
    # By year, then id (2021 holds several cards).
    assert [(c["year"], c["id"]) for c in cards] == sorted((c["year"], c["id"]) for c in cards)
    for c in cards:
        assert c["title"] and c["authors"] and c["equations"] and c["numbers"]
        assert list(c)[:3] == ["id", "title", "authors"]  # the files' order
        for t in c["toggles"]:
            assert isinstance(t["available"], bool)


def test_paper_by_id_or_title():
    ngp = nerds.paper("Instant-NGP")
    assert ngp["id"] == "instant-ngp"
    main = ngp["toggles"][0]
    assert main["param"] == "encoding.kind" and main["on"] == "hash" and main["off"] == "frequency"
    assert main["seconds"] == 60 and main["available"] is True
    assert "field.density_layers=7" in main["off_with"]
    assert nerds.paper("mipnerf")["id"] == "mip-nerf"
    assert nerds.paper(nerds.paper("nerf")["title"])["id"] == "nerf"
    with pytest.raises(nerds.InputError, match="no paper card 'gaussian splatting'"):
        nerds.paper("gaussian splatting")


def _card(card_id, year):
    nerf = nerds.paper("nerf")
    card = {k: v for k, v in nerf.items()}
    card["toggles"] = [{k: v for k, v in t.items() if k != "available"} for t in nerf["toggles"]]
    card.pop("steps", None)  # they name the nerf card's toggles, which the tests replace
    card["id"] = card_id
    card["title"] = "A Card Written By A Test " + card_id
    card["year"] = year
    return card


def test_a_card_added_as_a_file_is_listed(tmp_path):
    card = _card("my-card", 2031)
    card["toggles"][0] = {"param": "proposal.enabled", "on": "true", "off": "false", "what": "to come"}
    (tmp_path / "my-card.json").write_text(json.dumps(card, indent=2))
    cards = nerds.papers(str(tmp_path))
    assert [c["id"] for c in cards] == ["my-card"]
    assert cards[0]["toggles"][0]["available"] is False  # a parameter still to come
    assert nerds.paper("a card written by a test my-card", str(tmp_path))["id"] == "my-card"


def test_a_malformed_card_names_the_file_and_the_field(tmp_path):
    card = _card("broken", 2020)
    card["toggles"][1]["on_with"] = "sampler.kind=march"  # a string, not a list
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(card, indent=2))
    with pytest.raises(nerds.InputError) as e:
        nerds.papers(str(tmp_path))
    assert f"{path}: toggles[1].on_with: expected an array" in str(e.value)
    del card["toggles"][1]["on_with"]
    card["paper_headline"] = "31.01"
    path.write_text(json.dumps(card, indent=2))
    with pytest.raises(nerds.InputError, match="broken.json: paper_headline: unknown field"):
        nerds.papers(str(tmp_path))
    os.remove(path)
    assert nerds.papers(str(tmp_path)) == []
