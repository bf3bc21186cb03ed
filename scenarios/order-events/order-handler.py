"""order-handler: handles one order event taken from the FIFO queue."""


def main(event, context):
    print(f"handling {event['type']} of {event['orderId']} in {context.function_name}")
    return {"status": "handled", "orderId": event["orderId"], "eventId": event["eventId"]}
