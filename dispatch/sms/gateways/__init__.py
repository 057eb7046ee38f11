"""Outbound SMS gateways: one small module per provider behind `base.SmsGateway`."""
