def test_home(client, shipped_glossary):
    response = client.get("/")
    assert response.status_code == 200
    assert "123 concepts" in response.text or "concepts across" in response.text
