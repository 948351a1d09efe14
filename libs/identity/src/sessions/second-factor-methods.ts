/** Methods that prove a second factor, as recorded in a session's `amr`. */
export const SECOND_FACTOR_METHODS = ['otp', 'email', 'recovery_code'];
