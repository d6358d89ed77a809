"""The bundled exercise bank (data only): one folder per exercise, installed as gradcheck.bank."""
