"""Screening of orders and shipments: chemicals in text, counterparties, red flags."""
